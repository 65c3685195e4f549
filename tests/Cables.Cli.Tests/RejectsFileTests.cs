namespace Cables.Cli.Tests;

public sealed class RejectsFileTests() : FolderPerTest("cablectl-rejects-")
{
    [Fact]
    public void Each_record_is_in_the_file_as_a_whole_line_before_write_returns()
    {
        var path = Folder.File("rejects.jsonl");
        using var rejects = RejectsFile.Open(path, append: false);
        Assert.True(rejects.Write(Rejection("a.txt")));
        Assert.True(rejects.Write(Rejection("b \"c\".txt")));

        var lines = TempFolder.ReadShared(path);
        Assert.EndsWith("\n", lines);
        Assert.Equal(["a.txt", "b \"c\".txt"], Sources(lines));
        Assert.Equal(2, rejects.Count);
    }

    [Fact]
    public void Resuming_cuts_a_torn_last_record_and_appends_on_a_line_of_its_own()
    {
        var path = Folder.Write("rejects.jsonl", "{\"source\":\"a.txt\",\"reason\":\"NO_DATE\",\"details\":\"\"}\n{\"source\":\"b.txt\",\"rea");
        using (var rejects = RejectsFile.Open(path, append: true))
        {
            Assert.True(rejects.Write(Rejection("b.txt")));
        }

        Assert.Equal(["a.txt", "b.txt"], Sources(File.ReadAllText(path)));
    }

    [Fact]
    public void A_source_already_in_the_file_is_not_written_again()
    {
        var path = Folder.File("rejects.jsonl");
        using (var rejects = RejectsFile.Open(path, append: false))
        {
            rejects.Write(Rejection("a.txt"));
            Assert.False(rejects.Write(Rejection("a.txt")));
        }

        using (var rejects = RejectsFile.Open(path, append: true))
        {
            Assert.False(rejects.Write(Rejection("a.txt")));
            Assert.True(rejects.Write(Rejection("b.txt")));
            Assert.Equal(1, rejects.Count);
        }

        Assert.Equal(["a.txt", "b.txt"], Sources(File.ReadAllText(path)));
    }

    [Fact]
    public void A_new_run_starts_the_file_afresh()
    {
        var path = Folder.Write("rejects.jsonl", "{\"source\":\"old.txt\"}\n");
        using (var rejects = RejectsFile.Open(path, append: false))
        {
            Assert.True(rejects.Write(Rejection("old.txt")));
        }

        Assert.Equal(["old.txt"], Sources(File.ReadAllText(path)));
    }

    private static V1.IngestCableResponse Rejection(string source) =>
        new() { ClientItemId = source, Outcome = V1.IngestOutcome.Rejected, Reason = "NO_REFERENCE_ID", Details = "none" };

    private static List<string> Sources(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("source").GetString()!)];
}
