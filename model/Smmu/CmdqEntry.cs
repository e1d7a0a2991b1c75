using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

public enum CommandOp : byte { TlbiVa = 1, TlbiAll = 2, CfgiAll = 3, Sync = 4 }

/// <summary>
/// A ring slot's content. The low 32 bits stand for the first command word (opcode, never 0 for a
/// real command; the MSI write of a completed CMD_SYNC clears it, §2.5); the high 32 bits carry the
/// model's command id so the oracles can tell which command a slot held.
/// </summary>
public static class CmdqEntry
{
    public static long Encode(CommandOp op, int arg, int id) => ((long)id << 32) | (uint)(1 | ((int)op << 4) | ((arg & 0xFFFF) << 8));

    public static CommandOp Op(long slot) => (CommandOp)(((uint)slot >> 4) & 0xF);
    public static int Arg(long slot) => (int)(((uint)slot >> 8) & 0xFFFF);
    public static int Id(long slot) => (int)(slot >> 32);

    /// <summary>Command ids: thread index in the top bits, per-thread sequence below; 0 means never written.</summary>
    public static int MakeId(int thread, int seq) => ((thread + 1) << 20) | seq;

    public static string Name(CommandOp op) => op switch
    {
        CommandOp.TlbiVa => "TLBI_VA",
        CommandOp.TlbiAll => "TLBI_NSNH_ALL",
        CommandOp.CfgiAll => "CFGI_ALL",
        CommandOp.Sync => "CMD_SYNC",
        _ => "opcode 0 (a completed CMD_SYNC's slot, or never written)",
    };
}

/// <summary>A PTE word: generation of the mapping and a valid bit.</summary>
public static class Pte
{
    public static long Valid(long gen) => (gen << 1) | 1;
    public static long Invalid(long gen) => gen << 1;
    public static bool IsValid(long pte) => (pte & 1) != 0;
    public static long Gen(long pte) => pte >> 1;
}
