using System.Globalization;
using System.Net;
using System.Text;
using Cables.Parsing.Internal;
using Cables.Parsing.Model;

namespace Cables.Parsing.Formats;

/// <summary>
/// Unwraps a WikiLeaks cable page: the <c>&lt;pre&gt;</c> blocks after the metadata table become the telegram text
/// (links and tags removed, entities decoded, ¶ kept, blocks joined by a blank line), and the table gives the metadata.
/// </summary>
public static class WikiLeaksHtml
{
    private const string TableStart = "<table class='cable'>";

    public static RawCable Read(string html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return new RawCable("", SourceFormat.WikiLeaksHtml, null);
        }

        var table = html.IndexOf(TableStart, StringComparison.Ordinal);
        if (table < 0)
        {
            table = html.IndexOf("<table class=\"cable\">", StringComparison.Ordinal);
        }

        var blocks = PreBlocks(html, Math.Max(0, table));
        // Telegram files end with a line break; the page's last block does not.
        var text = string.Join("\n\n", blocks.Select(b => Decode(b)));
        if (text.Length > 0 && text[^1] != '\n')
        {
            text += "\n";
        }

        return new RawCable(text, SourceFormat.WikiLeaksHtml, table < 0 ? null : Metadata(html, table, blocks));
    }

    private static List<string> PreBlocks(string html, int from)
    {
        var blocks = new List<string>(2);
        var i = from;
        while ((i = html.IndexOf("<pre>", i, StringComparison.Ordinal)) >= 0)
        {
            BudgetClock.Check();
            var start = i + 5;
            var end = html.IndexOf("</pre>", start, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            blocks.Add(html[start..end]);
            i = end + 6;
        }

        return blocks;
    }

    /// <summary>Markup removed, entities (<c>&amp;#x000A;</c>, <c>&amp;amp;</c>, <c>&amp;#8217;</c>) decoded.</summary>
    internal static string Decode(string block)
    {
        var sb = new StringBuilder(block.Length);
        var i = 0;
        while (i < block.Length)
        {
            if (block[i] == '\n')
            {
                BudgetClock.Check();
            }

            var c = block[i];
            if (c == '<')
            {
                var close = block.IndexOf('>', i + 1);
                if (close > i && (close == i + 1 || char.IsAsciiLetter(block[i + 1]) || block[i + 1] == '/'))
                {
                    i = close + 1;
                    continue;
                }
            }

            sb.Append(c);
            i++;
        }

        return WebUtility.HtmlDecode(sb.ToString());
    }

    /// <summary>Reference ID | Created | Released | Classification | Origin: each cell's link text.</summary>
    private static SourceMetadata Metadata(string html, int table, List<string> blocks)
    {
        var end = html.IndexOf("</table>", table, StringComparison.Ordinal);
        var cells = new List<string>(5);
        var i = table;
        while (end > 0 && (i = html.IndexOf("<td>", i, StringComparison.Ordinal)) >= 0 && i < end)
        {
            BudgetClock.Check();
            var cellEnd = html.IndexOf("</td>", i, StringComparison.Ordinal);
            if (cellEnd < 0)
            {
                break;
            }

            cells.Add(Decode(html[(i + 4)..cellEnd]).Trim());
            i = cellEnd;
        }

        DateTime? created = cells.Count > 1 && DateTime.TryParseExact(cells[1], "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var c) ? c : null;
        return new SourceMetadata
        {
            ReferenceId = cells.Count > 0 && cells[0].Length > 0 ? cells[0] : null,
            Created = created,
            Classification = cells.Count > 3 ? cells[3] : null,
            Origin = cells.Count > 4 ? cells[4] : null,
            PartialExtract = blocks.Count > 0 && blocks[0].Contains("partial extract", StringComparison.OrdinalIgnoreCase),
        };
    }
}
