using Cables.Parsing.Model;

namespace Cables.Cli.Tests;

public sealed class CableSourceTests() : FolderPerTest("cablectl-inputs-")
{
    [Fact]
    public void Folders_are_walked_recursively_in_ordinal_order_keeping_known_extensions()
    {
        Folder.Write("b.txt", "telegram b");
        Folder.Write("sub/a.txt", "telegram sub/a");
        Folder.Write("A.txt", "telegram A");
        Folder.Write("notes.md", "not a cable");
        Folder.Write("sub/deeper/c.TXT", "telegram c");

        var items = CableSource.FromPaths([Folder.Path]).Read().ToList();

        Assert.Equal(
            [Folder.File("A.txt"), Folder.File("b.txt"), Folder.File("sub/a.txt"), Folder.File("sub/deeper/c.TXT")],
            items.Select(i => i.Source));
        Assert.All(items, i => Assert.Equal(SourceFormat.Telegram, i.Cable!.Format));
        Assert.Equal("telegram sub/a", items[2].Cable!.Text);
    }

    [Fact]
    public void Paths_keep_the_order_given_and_a_named_file_is_read_whatever_its_extension()
    {
        var named = Folder.Write("cable.dat", "telegram");
        Folder.Write("dir/z.txt", "z");
        var source = CableSource.FromPaths([named, Folder.File("dir"), Folder.File("missing")]);

        Assert.Equal([Folder.File("missing")], source.Missing);
        Assert.Equal([named, Folder.File("dir", "z.txt")], source.Read().Select(i => i.Source));
        Assert.Equal(2, source.FileCount);
        Assert.Equal(9, source.TotalBytes);
    }

    [Fact]
    public void Bytes_read_reaches_the_total()
    {
        Folder.Write("a.txt", "12345");
        Folder.Write("b.txt", "1234567890");
        var source = CableSource.FromPaths([Folder.Path]);
        using var items = source.Read().GetEnumerator();
        Assert.Equal(0, source.BytesRead);
        Assert.True(items.MoveNext());
        Assert.Equal(5, source.BytesRead);
        Assert.True(items.MoveNext());
        Assert.False(items.MoveNext());
        Assert.Equal(source.TotalBytes, source.BytesRead);
        Assert.Equal(15, source.TotalBytes);
    }

    [Fact]
    public void Html_pages_are_unwrapped_by_the_format_adapter()
    {
        var folder = SharedFolder.Path("corpus", "formats", "html");
        var items = CableSource.FromPaths([folder]).Read().ToList();

        Assert.Equal(Directory.GetFiles(folder, "*.html").Length, items.Count);
        Assert.All(items, i => Assert.Equal(SourceFormat.WikiLeaksHtml, i.Cable!.Format));
        Assert.Equal(items.Select(i => i.Source).Order(StringComparer.Ordinal), items.Select(i => i.Source));
    }

    [Fact]
    public void Csv_rows_are_numbered_from_one_and_streamed()
    {
        var csv = SharedFolder.Path("corpus", "formats", "cables.csv");
        var items = CableSource.FromPaths([csv]).Read().Take(3).ToList();

        Assert.Equal([$"{csv}#1", $"{csv}#2", $"{csv}#3"], items.Select(i => i.Source));
        Assert.Equal("00JAKARTA4700", items[0].Cable!.Metadata!.ReferenceId);
        Assert.All(items, i => Assert.Equal(SourceFormat.CablesCsv, i.Cable!.Format));
    }

    [Fact]
    public void A_file_removed_after_listing_gives_a_failed_item()
    {
        var gone = Folder.Write("a.txt", "a");
        Folder.Write("b.txt", "b");
        var source = CableSource.FromPaths([Folder.Path]);
        File.Delete(gone);

        var items = source.Read().ToList();
        Assert.Equal(gone, items[0].Source);
        Assert.Contains("a.txt", items[0].Error);
        Assert.Equal("b", items[1].Cable!.Text);
    }
}
