using System.Text;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Workloads;

/// <summary>
/// Input files are UTF-8, or what a byte-order mark names, decoded strictly: a mark picks the encoding, and bytes that
/// encoding does not allow are refused, not read as U+FFFD (behind a mark the reader's own detection decoded leniently).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class InputEncodingTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-encoding-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Encodings => ["utf-8", "utf-8 marked", "utf-16", "utf-16BE", "utf-32"];

    static Encoding Of(string name) => name switch
    {
        "utf-8" => new UTF8Encoding(false),
        "utf-8 marked" => new UTF8Encoding(true),
        "utf-16" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        "utf-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        _ => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_workload_in_any_encoding_a_mark_names_loads_as_written(string encoding)
    {
        string path = Path.Combine(_dir, "w.json");
        var enc = Of(encoding);
        File.WriteAllBytes(path, [.. enc.GetPreamble(), .. enc.GetBytes(File.ReadAllText(TestPaths.Scenario("reviewer-race.json")))]);
        var loaded = WorkloadLoader.LoadFile(path);
        Assert.Equal("reviewer-race", loaded.Name);
        Assert.Equal(WorkloadLoader.LoadFile(TestPaths.Scenario("reviewer-race.json")).Description, loaded.Description);
    }

    [Fact]
    public void A_lone_surrogate_behind_a_utf16_mark_is_refused()
    {
        string path = Path.Combine(_dir, "w.json");
        // 0xD800 with no low surrogate after it: no character.
        File.WriteAllBytes(path, [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("{ \"name\": \"w"), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("\" }")]);
        var e = Assert.Throws<WorkloadException>(() => WorkloadLoader.LoadFile(path));
        Assert.Equal("not UTF-16 text: it holds bytes that UTF-16 does not allow", e.Reason);
    }
}
