namespace Cables.Cli.Tests;

public sealed class ResumeStateTests() : FolderPerTest("cablectl-state-")
{
    [Fact]
    public void Ids_written_by_one_run_are_loaded_by_the_next_and_appended_to()
    {
        var path = Folder.File("state");
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
    public void A_torn_last_line_is_cut_before_appending_so_a_torn_id_is_never_read()
    {
        var path = Folder.Write("state", "cables.csv#1\ncables.csv#2\ncables.csv#1");
        using (var state = ResumeState.Open(path))
        {
            Assert.Equal(2, state.Count);
            state.Add("cables.csv#3");
        }

        Assert.Equal("cables.csv#1\ncables.csv#2\ncables.csv#3\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_file_that_is_all_torn_line_is_emptied()
    {
        var path = Folder.Write("state", "cables.cs");
        using (var state = ResumeState.Open(path))
        {
            Assert.Equal(0, state.Count);
        }

        Assert.Equal("", File.ReadAllText(path));
    }

    [Fact]
    public void Ids_reach_the_file_only_as_whole_lines_even_when_the_buffer_fills()
    {
        var path = Folder.File("state");
        using var state = ResumeState.Open(path);
        var ids = Enumerable.Range(0, 20_000).Select(i => $"folder/cable-{i:D6}.txt").ToList();
        foreach (var id in ids)
        {
            state.Add(id);
        }

        // Read while the state is open and unflushed: what the OS has is what a killed process would leave.
        var written = TempFolder.ReadShared(path);
        Assert.True(written.Length > 0, "a full buffer is written without waiting for a flush");
        Assert.EndsWith("\n", written);
        var lines = written.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ids.Take(lines.Length), lines);
        Assert.True(lines.Length < ids.Count, "the rest waits in the buffer");
    }

    [Fact]
    public void Ids_are_on_disk_without_dispose_once_flushed()
    {
        var path = Folder.File("state");
        using var state = ResumeState.Open(path);
        state.Add("x");
        state.Flush(durable: false);
        Assert.Equal("x\n", TempFolder.ReadShared(path));
    }
}
