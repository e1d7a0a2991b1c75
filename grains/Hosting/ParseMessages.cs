using System.Text.RegularExpressions;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// The client's and the silo's command lines share System.CommandLine, which names the .NET type a value failed to parse
/// as ("as expected type 'System.Nullable`1[System.Double]'"); a user wants the kind of value.
/// </summary>
public static partial class ParseMessages
{
    public static string Plain(string message) => ExpectedType().Replace(message, m => "as " + m.Groups[1].Value switch
    {
        "Int32" or "Int64" => "a whole number",
        "UInt32" or "UInt64" => "a whole number, 0 or more",
        "Double" => "a number",
        "Boolean" => "true or false",
        _ => "a " + m.Groups[1].Value,
    });

    [GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'")]
    private static partial Regex ExpectedType();
}
