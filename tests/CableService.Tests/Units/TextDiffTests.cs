using CableService.Revisions;

namespace CableService.Tests.Units;

public sealed class TextDiffTests
{
    private static string Lines(params int[] numbers) => string.Join('\n', numbers.Select(n => $"line {n}"));

    /// <summary>A hunk as <c>diff -u</c> prints it: header, then one marked line each.</summary>
    private static string Render(Api.DiffHunk hunk) =>
        $"@@ -{hunk.FromStart},{hunk.FromCount} +{hunk.ToStart},{hunk.ToCount} @@\n" + string.Join('\n', hunk.Lines.Select(l => l.Kind switch
        {
            Api.DiffLineKind.Deleted => $"-{l.Text} ({l.FromLine},{l.ToLine})",
            Api.DiffLineKind.Inserted => $"+{l.Text} ({l.FromLine},{l.ToLine})",
            _ => $" {l.Text} ({l.FromLine},{l.ToLine})",
        }));

    [Fact]
    public void The_same_text_has_no_hunks()
    {
        Assert.Empty(TextDiff.Hunks(Lines(1, 2, 3), Lines(1, 2, 3), context: 3));
        Assert.Empty(TextDiff.Hunks("", "", context: 3));
    }

    [Fact]
    public void A_changed_line_comes_with_its_context_and_both_line_numbers()
    {
        var hunk = Assert.Single(TextDiff.Hunks(Lines(1, 2, 3, 4, 5, 6, 7), Lines(1, 2, 3, 40, 5, 6, 7), context: 1));

        Assert.Equal(
            """
            @@ -3,3 +3,3 @@
             line 3 (3,3)
            -line 4 (4,0)
            +line 40 (0,4)
             line 5 (5,5)
            """.ReplaceLineEndings("\n"),
            Render(hunk));
    }

    [Fact]
    public void Changes_further_apart_than_two_contexts_make_two_hunks_and_closer_ones_one()
    {
        var from = Lines(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        var apart = TextDiff.Hunks(from, Lines(10, 2, 3, 4, 5, 6, 7, 8, 9, 100), context: 2);
        Assert.Equal(["@@ -1,3 +1,3 @@", "@@ -8,3 +8,3 @@"], apart.Select(h => Render(h).Split('\n')[0]));

        var close = TextDiff.Hunks(from, Lines(1, 20, 3, 4, 5, 6, 70, 8, 9, 10), context: 2);
        Assert.Equal("@@ -1,9 +1,9 @@", Render(Assert.Single(close)).Split('\n')[0]);
    }

    [Fact]
    public void An_insertion_at_the_start_and_a_deletion_at_the_end_count_from_the_line_before()
    {
        var inserted = Assert.Single(TextDiff.Hunks(Lines(1, 2), Lines(0, 1, 2), context: 0));
        Assert.Equal("@@ -0,0 +1,1 @@\n+line 0 (0,1)", Render(inserted));

        var deleted = Assert.Single(TextDiff.Hunks(Lines(1, 2, 3), Lines(1, 2), context: 0));
        Assert.Equal("@@ -3,1 +2,0 @@\n-line 3 (3,0)", Render(deleted));
    }
}
