namespace SmmuActors.Model.Sim;

/// <summary>How enum members are spelled on the command line, in files and in traces: kebab-case.</summary>
public static class Naming
{
    public static string Kebab(Enum value)
    {
        var s = value.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }
}
