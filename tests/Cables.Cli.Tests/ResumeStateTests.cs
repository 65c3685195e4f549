using Cables.Cli.Ingestion;

namespace Cables.Cli.Tests;

public sealed class ResumeStateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cablectl-state-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Ids_written_by_one_run_are_loaded_by_the_next_and_appended_to()
    {
        var path = Path.Combine(_folder, "state");
        using (var state = ResumeState.Open(path))
        {
            Assert.Equal(0, state.Count);
            state.Add("cables/a.txt");
            state.Add("cables.csv#1");
            state.Add("cables.csv#1");
            state.Add("pages/b c.html");
        }

        Assert.Equal("cables/a.txt\ncables.csv#1\npages/b c.html\n", File.ReadAllText(path));

        using (var state = ResumeState.Open(path))
        {
            Assert.Equal(3, state.Count);
            Assert.True(state.Contains("cables.csv#1"));
            Assert.False(state.Contains("cables.csv#2"));
            state.Add("cables.csv#2");
        }

        Assert.Equal(["cables/a.txt", "cables.csv#1", "pages/b c.html", "cables.csv#2"], File.ReadAllLines(path));
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_ended_before_appending()
    {
        var path = Path.Combine(_folder, "state");
        File.WriteAllText(path, "cables.csv#1\ncables.csv#2\ncables.cs");
        using (var state = ResumeState.Open(path))
        {
            Assert.Equal(2, state.Count);
            Assert.False(state.Contains("cables.cs"));
            state.Add("cables.csv#3");
        }

        Assert.Equal(["cables.csv#1", "cables.csv#2", "cables.cs", "cables.csv#3"], File.ReadAllLines(path));
        using var reopened = ResumeState.Open(path);
        Assert.True(reopened.Contains("cables.csv#3"));
    }

    [Fact]
    public void Ids_are_on_disk_without_dispose_once_flushed()
    {
        var path = Path.Combine(_folder, "state");
        using var state = ResumeState.Open(path);
        state.Add("x");
        state.Flush(durable: false);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal(2, reader.Length);
    }
}
