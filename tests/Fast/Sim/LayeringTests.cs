using System.Reflection;
using System.Text.RegularExpressions;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// The model's layers import only the layers before them (Sim, Litmus, Smmu, Workloads, Exploration), checked
/// twice: in the sources' using directives and qualified names, and in the compiled types' signatures.
/// The model and the reports reference no package and no Orleans.
/// </summary>
[Trait("Suite", "Fast")]
public sealed partial class LayeringTests
{
    static readonly string[] Layers = ["Sim", "Litmus", "Smmu", "Workloads", "Exploration"];

    static int Layer(string ns)
    {
        var m = Regex.Match(ns, @"^SmmuActors\.Model\.(\w+)");
        return m.Success ? Array.IndexOf(Layers, m.Groups[1].Value) : -1;
    }

    [GeneratedRegex(@"SmmuActors\.Model\.(\w+)")]
    private static partial Regex ModelNamespace();

    [Fact]
    public void NoModelSourceNamesALaterLayer()
    {
        var wrong = new List<string>();
        foreach (var file in TestPaths.Sources(Path.Combine(TestPaths.RepoRoot, "model")))
        {
            int own = Array.IndexOf(Layers, Path.GetFileName(Path.GetDirectoryName(file)));
            Assert.True(own >= 0, $"{file} is outside the layer folders {string.Join(", ", Layers)}");
            foreach (Match m in ModelNamespace().Matches(File.ReadAllText(file)))
                if (Array.IndexOf(Layers, m.Groups[1].Value) > own) wrong.Add($"{Path.GetRelativePath(TestPaths.RepoRoot, file)} names {m.Value}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void NoModelTypeSignatureUsesALaterLayer()
    {
        var wrong = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var t in typeof(Message).Assembly.GetTypes())
        {
            int own = Layer(t.Namespace ?? "");
            if (own < 0) continue;
            var used = t.GetFields(all).Select(f => f.FieldType)
                .Concat(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                .Concat(t.GetInterfaces()).Append(t.BaseType ?? typeof(object));
            foreach (var u in used.SelectMany(Expand))
                if (Layer(u.Namespace ?? "") > own) wrong.Add($"{t.FullName} uses {u.FullName}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Distinct()));
    }

    static IEnumerable<Type> Expand(Type t)
    {
        if (t.HasElementType) return Expand(t.GetElementType()!);
        return t.IsGenericType ? t.GetGenericArguments().SelectMany(Expand).Append(t) : [t];
    }

    [Theory]
    [InlineData("model/SmmuActors.Model.csproj")]
    [InlineData("reports/SmmuActors.Reports.csproj")]
    public void ModelAndReportsReferenceNoPackage(string project)
    {
        var doc = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.RepoRoot, project));
        Assert.Empty(doc.Descendants("PackageReference"));
        Assert.All(doc.Descendants("ProjectReference"), r => Assert.EndsWith("model/SmmuActors.Model.csproj", (string)r.Attribute("Include")!));
    }
}
