using System.CommandLine.Parsing;
using System.Globalization;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// The client and the silo read and write numbers as the invariant culture does, whatever the machine's locale. The
/// projects build with InvariantGlobalization, but DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 brings the locale back, and
/// with it results that depend on it: an outcome's key spelled with U+2212 for a minus under sv_SE (two silos counted
/// the same outcome under two keys), "20.000 runs" in a verdict, and --timeout 0,5 read as 5 seconds.
/// </summary>
public static class InvariantNumbers
{
    /// <summary>Makes this process's threads, the pool's included, format and parse with the invariant culture.</summary>
    public static void Use()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }

    /// <summary>
    /// A decimal option's value, written with a point ("0.5"). .NET's own parse of a double allows thousands separators, so
    /// "0,5" became 5 with no error; here it is refused, naming the option.
    /// </summary>
    public static double Decimal(ArgumentResult r)
    {
        string token = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        string name = r.Parent is OptionResult o ? o.Option.Name : r.Argument.Name;
        r.AddError($"{name}: '{token}' is not a number (a decimal is written with a point, e.g. 0.5)");
        return 0;
    }
}
