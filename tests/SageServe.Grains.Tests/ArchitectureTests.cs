using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SageServe.Grains.Tests;

/// <summary>Keeps the house rules of ARCHITECTURE.md true: no ambient time or randomness in grains and planning, and only the allowed arrows.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly string s_root = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SageServe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SageServe.sln not found above the test output directory.");
    }

    [GeneratedRegex(@"\b(DateTime(Offset)?\s*\.\s*(Utc)?Now|DateTime\s*\.\s*Today|Random\s*\.\s*Shared|new\s+(System\s*\.\s*)?Random\s*\(\s*\)|Environment\s*\.\s*TickCount|TimeProvider\s*\.\s*System|Thread\s*\.\s*Sleep)(?!\w)")]
    private static partial Regex AmbientTimeOrRandomness();

    [Theory]
    [InlineData("grains")]
    [InlineData("planning")]
    public void SourceFiles_NeverReadTheWallClockOrAmbientRandomness(string room)
    {
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(s_root, room), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
                file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].Split("//", 2)[0];
                if (AmbientTimeOrRandomness().IsMatch(code))
                {
                    offenders.Add($"{Path.GetRelativePath(s_root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "Take time and randomness from the runtime (Grain.Time / Grain.Random) or an explicit seed:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void Pattern_CatchesTheForbiddenCalls()
    {
        Assert.Matches(AmbientTimeOrRandomness(), "var t = DateTime.UtcNow;");
        Assert.Matches(AmbientTimeOrRandomness(), "var r = new Random();");
        Assert.DoesNotMatch(AmbientTimeOrRandomness(), "var r = new Random(seed);"); // seeded randomness is reproducible
        Assert.Matches(AmbientTimeOrRandomness(), "Random.Shared.Next()");
        Assert.DoesNotMatch(AmbientTimeOrRandomness(), "var t = Time.GetUtcNow();");
    }

    [Theory]
    [InlineData("runtime/SageServe.Runtime.csproj", new string[0])]
    [InlineData("planning/SageServe.Planning.csproj", new string[0])]
    [InlineData("grains/SageServe.Grains.csproj", new[] { "SageServe.Runtime", "SageServe.Planning" })]
    [InlineData("simulation/SageServe.Simulation.csproj", new[] { "SageServe.Grains", "SageServe.Runtime", "SageServe.Planning" })]
    [InlineData("client/SageServe.Client.csproj", new[] { "SageServe.Runtime" })]
    public void ProjectReferences_FollowTheArchitectureArrows(string project, string[] allowed)
    {
        var references = XDocument.Load(Path.Combine(s_root, project))
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToArray();

        Assert.All(references, r => Assert.Contains(r, allowed));
    }
}
