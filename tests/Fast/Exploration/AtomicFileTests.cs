using System.Diagnostics;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A write that fails leaves nothing behind: no half file, no temporary file. A link is followed and stays; a pipe or a
/// device is written through, never replaced by a regular file (as root, <c>--json /dev/null</c> had made /dev/null one).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class AtomicFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-atomic-").FullName;

    string In(string name) => Path.Combine(_dir, name);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFailedWriteLeavesNoTemporaryFile()
    {
        string target = In("taken");
        Directory.CreateDirectory(target);
        var e = Assert.Throws<OutputException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.StartsWith($"{target} could not be written: ", e.Message);
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void A_link_is_followed_to_the_file_it_names_and_stays_a_link()
    {
        File.WriteAllText(In("target.json"), "old");
        File.CreateSymbolicLink(In("link.json"), "target.json");
        AtomicFile.WriteAllText(In("link.json"), "new");
        Assert.Equal("target.json", new FileInfo(In("link.json")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(In("target.json")));

        // A link to a file not there yet creates it, as a shell's redirection does.
        File.CreateSymbolicLink(In("ahead.json"), "later.json");
        AtomicFile.WriteAllText(In("ahead.json"), "made");
        Assert.Equal("made", File.ReadAllText(In("later.json")));
        Assert.Equal(["ahead.json", "later.json", "link.json", "target.json"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_pipe_is_written_through_and_stays_a_pipe()
    {
        string fifo = In("fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        Assert.Equal(PathKind.Pipe, PathKinds.Of(fifo));
        var read = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.WriteAllText(fifo, "through");
        Assert.Equal("through", await read.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(PathKind.Pipe, PathKinds.Of(fifo));
        Assert.Equal([fifo], Directory.EnumerateFileSystemEntries(_dir));
    }

    /// <summary>The temporary name beside the target had the target's whole name in it, 255 bytes and more for a long one.</summary>
    [Fact]
    public void A_target_whose_name_takes_the_whole_limit_is_written()
    {
        string target = In(new string('j', AtomicFile.NameMax - 5) + ".json");
        AtomicFile.WriteAllText(target, "long");
        Assert.Equal("long", File.ReadAllText(target));
        Assert.Equal([target], Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void What_a_path_names_is_told_apart_links_followed()
    {
        File.WriteAllText(In("file"), "");
        File.CreateSymbolicLink(In("to-null"), "/dev/null");
        Assert.Equal(PathKind.File, PathKinds.Of(In("file")));
        Assert.Equal(PathKind.Directory, PathKinds.Of(_dir));
        Assert.Equal(PathKind.Device, PathKinds.Of("/dev/null"));
        Assert.Equal(PathKind.Device, PathKinds.Of(In("to-null")));
        Assert.Equal(PathKind.None, PathKinds.Of(In("nothing")));
        // Written through, never replaced: a device, a link to one, a process's open file.
        Assert.Null(AtomicFile.Target(In("to-null")));
        Assert.Null(AtomicFile.Target("/dev/stdout"));
        Assert.Null(AtomicFile.Target("/dev/fd/1"));
        Assert.Equal(In("file"), AtomicFile.Target(In("file")));
    }
}
