using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Exploration;

/// <summary>A write that fails leaves nothing behind: no half file, no temporary file.</summary>
[Trait("Suite", "Fast")]
public class AtomicFileTests
{
    [Fact]
    public void AFailedWriteLeavesNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("smmu-atomic-").FullName;
        try
        {
            string target = Path.Combine(dir, "taken");
            Directory.CreateDirectory(target);
            Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, "x"));
            Assert.Equal([target], Directory.EnumerateFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
