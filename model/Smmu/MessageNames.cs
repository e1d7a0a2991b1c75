using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The names messages have in traces and pins: "&lt;kind&gt; &lt;location&gt;", e.g. "store pte",
/// "load llq", "mmio-write prod", "xor valid_map". Pins name a class of locations, not one slot.
/// </summary>
public static class MessageNames
{
    static readonly string[] Kinds = Enumerable.Range(0, (int)Enum.GetValues<MessageKind>().Max() + 1).Select(k => Naming.Kebab((MessageKind)k)).ToArray();
    static readonly string[] MemoryClasses = ["llq", "owner_prod", "lock", "valid_map", "slot", "pte", "var"];
    static readonly string[] Registers = Enum.GetValues<SmmuRegister>().Select(r => r.ToString().ToLowerInvariant()).ToArray();

    public static readonly string[] Examples = ["store pte", "load llq", "cas llq", "xor valid_map", "mmio-write prod", "load slot"];

    /// <summary>The kind's name, from a table built once: pins and traces ask for it per message.</summary>
    public static string Kebab(MessageKind k) => Kinds[(int)k];

    public static bool IsValidPattern(string name)
    {
        var parts = name.Split(' ');
        return parts.Length == 2 && Kinds.Contains(parts[0]) && (MemoryClasses.Contains(parts[1]) || Registers.Contains(parts[1]));
    }

    /// <summary>The pin key of a message: its kind and the class of what it touches.</summary>
    public static string Key(Layout layout, in Message m) =>
        $"{Kebab(m.Kind)} {(IsRegisterAccess(m) ? Register(m) : IsMemoryAccess(m) ? layout.LocationClass(m.Loc) : "-")}";

    /// <summary>A full, human name for a trace line: kind and exact location ("store pte[A]").</summary>
    public static string Describe(Layout layout, ScenarioNames names, in Message m)
    {
        string where = IsRegisterAccess(m) ? Register(m).ToUpperInvariant()
            : IsMemoryAccess(m) ? layout.LocationName(m.Loc, names.Iovas, names.Vars)
            : "";
        return where.Length == 0 ? Kebab(m.Kind) : $"{Kebab(m.Kind)} {where}";
    }

    static string Register(in Message m) => ((SmmuRegister)m.Loc).ToString().ToLowerInvariant();

    /// <summary>A register access, or the SMMU's answer to one (it sends no other replies).</summary>
    static bool IsRegisterAccess(in Message m) =>
        (m.Dst == Layout.SmmuActor && m.Kind is MessageKind.MmioWrite or MessageKind.MmioRead or MessageKind.Wait) ||
        (m.Src == Layout.SmmuActor && m.Dst != Layout.SmmuActor && m.Kind is MessageKind.LoadReply or MessageKind.WaitReply);

    static bool IsMemoryAccess(in Message m) =>
        m.Kind is not (MessageKind.Start or MessageKind.Timer or MessageKind.Barrier or MessageKind.BarrierReply) &&
        (m.Dst == Layout.MemoryActor || m.Src == Layout.MemoryActor);
}
