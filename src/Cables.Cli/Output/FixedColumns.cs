using System.Text;

namespace Cables.Cli.Output;

/// <summary>
/// Rows of fixed-width columns and a free last one, for people: a cell wider than its column is cut with '…'. Fixed
/// widths so each row is written as it arrives (columns sized to the data would have to buffer every row).
/// </summary>
public sealed class FixedColumns(TextWriter writer, IReadOnlyList<string> header, params int[] widths)
{
    private readonly StringBuilder _line = new(256);
    private bool _headerWritten;

    /// <summary>Writes one row, the header before the first: a cell per width, then the last column's text.</summary>
    public async Task WriteRowAsync(params string[] cells)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            await writer.WriteLineAsync(Row(header));
        }

        await writer.WriteLineAsync(Row(cells));
    }

    private string Row(IReadOnlyList<string> cells)
    {
        _line.Clear();
        for (var i = 0; i < widths.Length; i++)
        {
            Cell(cells[i], widths[i]);
        }

        _line.Append(cells[widths.Length].ReplaceLineEndings(" "));
        return _line.ToString();
    }

    private void Cell(string value, int width)
    {
        if (value.Length > width)
        {
            _line.Append(value.AsSpan(0, width - 1)).Append('…');
        }
        else
        {
            _line.Append(value).Append(' ', width - value.Length);
        }

        _line.Append("  ");
    }
}
