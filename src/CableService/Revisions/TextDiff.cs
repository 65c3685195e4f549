using DiffPlex;
using DiffPlex.Chunkers;

namespace CableService.Revisions;

/// <summary>
/// A line diff of two texts as unified-diff hunks. DiffPlex finds the changed blocks (Myers' algorithm); this groups
/// them with <c>context</c> unchanged lines around each, merging blocks whose context would touch, as <c>diff -u</c> does.
/// </summary>
public static class TextDiff
{
    public static List<Api.DiffHunk> Hunks(string from, string to, int context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        // Lines split at \r\n, \r or \n, compared exactly (no whitespace or case folding).
        var diff = Differ.Instance.CreateDiffs(from, to, false, false, new LineChunker());
        IReadOnlyList<string> a = diff.PiecesOld;
        IReadOnlyList<string> b = diff.PiecesNew;
        var blocks = diff.DiffBlocks;
        var hunks = new List<Api.DiffHunk>();
        for (var first = 0; first < blocks.Count;)
        {
            // Blocks closer than two contexts apart share one hunk: the lines between them are its context.
            var last = first;
            while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - EndA(blocks[last]) <= 2 * context)
            {
                last++;
            }

            var aStart = Math.Max(0, blocks[first].DeleteStartA - context);
            var aEnd = Math.Min(a.Count, EndA(blocks[last]) + context);
            // Lines outside the blocks are the same in both texts, so b runs in step with a between blocks.
            var ai = aStart;
            var bi = blocks[first].InsertStartB - (blocks[first].DeleteStartA - aStart);
            var bStart = bi;
            var hunk = new Api.DiffHunk();
            for (var k = first; k <= last; k++)
            {
                var block = blocks[k];
                while (ai < block.DeleteStartA)
                {
                    hunk.Lines.Add(Line(Api.DiffLineKind.Context, a[ai], ++ai, ++bi));
                }

                for (var d = 0; d < block.DeleteCountA; d++)
                {
                    hunk.Lines.Add(Line(Api.DiffLineKind.Deleted, a[ai], ++ai, 0));
                }

                for (var n = 0; n < block.InsertCountB; n++)
                {
                    hunk.Lines.Add(Line(Api.DiffLineKind.Inserted, b[bi], 0, ++bi));
                }
            }

            while (ai < aEnd)
            {
                hunk.Lines.Add(Line(Api.DiffLineKind.Context, a[ai], ++ai, ++bi));
            }

            // As in a unified diff: a range of no lines starts at the line before it.
            hunk.FromCount = aEnd - aStart;
            hunk.FromStart = hunk.FromCount == 0 ? aStart : aStart + 1;
            hunk.ToCount = bi - bStart;
            hunk.ToStart = hunk.ToCount == 0 ? bStart : bStart + 1;
            hunks.Add(hunk);
            first = last + 1;
        }

        return hunks;
    }

    private static int EndA(DiffPlex.Model.DiffBlock block) => block.DeleteStartA + block.DeleteCountA;

    private static Api.DiffLine Line(Api.DiffLineKind kind, string text, int fromLine, int toLine) =>
        new() { Kind = kind, Text = text, FromLine = fromLine, ToLine = toLine };
}
