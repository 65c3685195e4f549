namespace Cables.Cli.Tests;

public sealed class ParseCommandTests() : FolderPerTest("cablectl-parse-")
{
    [Fact]
    public async Task The_seed_cable_prints_as_one_json_line_with_the_api_names()
    {
        var seed = SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt");
        var (exitCode, output, error) = await CommandRunner.RunAsync(["parse", "--jsonl", seed]);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var cable = Assert.Single(CommandRunner.JsonLines(output));
        Assert.Equal("source", cable.EnumerateObject().First().Name);
        Assert.Equal(seed, cable.Text("source"));
        Assert.Equal("08BRUSSELS1390", cable.Text("referenceId"));
        Assert.Equal("2008-09-05T18:18:00Z", cable.Text("created"));
        Assert.Equal("Embassy Brussels", cable.Text("origin"));
        Assert.Equal("CONFIDENTIAL", cable.Text("classification"));
        Assert.Equal(["PREL", "BE", "GG", "RU"], cable.Strings("rawTags"));
        Assert.Equal("FM DE GUCHT ENCOUNTERS RESOLUTE FM LAVROV IN MOSCOW", cable.Text("subject"));
        Assert.Equal("P 051818Z SEP 08", cable.GetProperty("header").Text("dateTimeGroup"));
        Assert.True(cable.GetProperty("paragraphs").GetArrayLength() > 3);
    }

    [Theory]
    [InlineData("03ANKARA3694")]
    [InlineData("04CAIRO8456")]
    [InlineData("05SANJOSE2727")]
    public async Task Corpus_telegrams_agree_with_the_truth(string id)
    {
        var truth = Truth.All[id];
        var cable = Assert.Single(await ParseAllAsync(SharedFolder.Path("corpus", truth.File)));
        AssertAgrees(truth, cable);
        Assert.Equal(truth.Subject, cable.Text("subject"));
        Assert.Equal(truth.Tags, cable.Strings("tags"));
    }

    [Fact]
    public async Task A_folder_of_wikileaks_pages_prints_every_page_in_order_with_its_metadata()
    {
        var folder = SharedFolder.Path("corpus", "formats", "html");
        var cables = await ParseAllAsync(folder);
        var pages = Directory.GetFiles(folder, "*.html").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(pages, cables.Select(c => c.Text("source")));
        foreach (var cable in cables)
        {
            AssertAgrees(Truth.All[Path.GetFileNameWithoutExtension(cable.Text("source")!)], cable);
        }
    }

    [Fact]
    public async Task Csv_rows_are_sourced_by_row_number_and_agree_with_the_truth()
    {
        var csv = SharedFolder.Path("corpus", "formats", "cables.csv");
        var cables = await ParseAllAsync(csv);
        Assert.Equal(400, cables.Count);
        Assert.Equal(Enumerable.Range(1, cables.Count).Select(n => $"{csv}#{n}"), cables.Select(c => c.Text("source")));
        Assert.Equal("00JAKARTA4700", cables[0].Text("referenceId"));
        foreach (var cable in cables)
        {
            var truth = Truth.All[cable.Text("referenceId")!];
            Assert.Equal(truth.CreatedPrefix, cable.Text("created")![..truth.CreatedPrefix.Length]);
            Assert.Equal(truth.Origin, cable.Text("origin"));
        }
    }

    [Fact]
    public async Task Unreadable_inputs_give_error_lines_and_the_run_goes_on()
    {
        var page = Folder.Write("a-not-a-page.html", "<html><body>nothing here</body></html>");
        var empty = Folder.Write("b-empty.txt", "  \n");
        var csv = Folder.Write("c-rows.csv", "\"1\",\"9/29/2000 9:15\",\"broken\n\"2\",\"9/29/2000 9:15\",\"00TEST2\",\"Embassy Jakarta\",\"CONFIDENTIAL\",\"\",\"R 290915Z SEP 00\nFM AMEMBASSY JAKARTA\nTO SECSTATE WASHDC 7946\",\"C O N F I D E N T I A L JAKARTA 000002\n\nSUBJECT: A TEST\n\n1. (C) TEXT.\"\n");
        var seed = SharedFolder.Path("corpus", "seed", "08BRUSSELS1390.txt");
        var missing = Folder.File("missing.txt");

        var (exitCode, output, error) = await CommandRunner.RunAsync(["parse", Folder.Path, missing, seed]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{missing}: no such file or folder", error);
        var lines = CommandRunner.JsonLines(output);
        Assert.Equal([page, empty, $"{csv}#1", $"{csv}#2", seed], lines.Select(l => l.Text("source")));
        Assert.Contains("not a WikiLeaks cable page", lines[0].Text("error"));
        Assert.Equal("empty file", lines[1].Text("error"));
        Assert.Contains("row 1", lines[2].Text("error"));
        Assert.Equal("00TEST2", lines[3].Text("referenceId"));
        Assert.Null(lines[3].Text("error"));
        Assert.Equal("08BRUSSELS1390", lines[4].Text("referenceId"));
    }

    [Fact]
    public async Task Thousands_of_files_stream_out_in_input_order()
    {
        var folder = SharedFolder.Path("corpus", "cables");
        var cables = await ParseAllAsync(folder);
        Assert.Equal(Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal), cables.Select(c => c.Text("source")));
    }

    /// <summary>cablectl parse over <paramref name="inputs"/>, which must all parse (exit code 0): the JSON lines it prints.</summary>
    private static async Task<List<JsonElement>> ParseAllAsync(params string[] inputs)
    {
        var (exitCode, output, _) = await CommandRunner.RunAsync(["parse", .. inputs]);
        Assert.Equal(0, exitCode);
        return CommandRunner.JsonLines(output);
    }

    private static void AssertAgrees(Truth truth, JsonElement cable)
    {
        Assert.Equal(truth.ReferenceId, cable.Text("referenceId"));
        Assert.StartsWith(truth.CreatedPrefix, cable.Text("created"));
        Assert.Equal(truth.Origin, cable.Text("origin"));
        Assert.Equal(truth.Classification, cable.Text("classification"));
    }
}
