using System.Text;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Output;

/// <summary>
/// Aligned columns for people: created, id, origin, classification, subject. Fixed widths so each row
/// is written as it arrives (a table that sizes its columns to the data would have to buffer every row).
/// </summary>
public sealed class CableTable(TextWriter writer)
{
    private const int CreatedWidth = 16;
    private const int IdWidth = 20;
    private const int OriginWidth = 26;
    private const int ClassificationWidth = 22;

    private readonly StringBuilder _line = new(256);
    private bool _headerWritten;

    public async Task WriteAsync(V1.Cable cable)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            await writer.WriteLineAsync(Row("CREATED (UTC)", "REFERENCE ID", "ORIGIN", "CLASSIFICATION", "SUBJECT"));
        }

        var created = cable.Created is null ? "" : cable.Created.ToDateTime().ToString("yyyy-MM-dd HH:mm");
        await writer.WriteLineAsync(Row(created, cable.ReferenceId, cable.Origin, cable.Classification?.Label ?? "", cable.Subject));
    }

    private string Row(string created, string id, string origin, string classification, string subject)
    {
        _line.Clear();
        Cell(created, CreatedWidth);
        Cell(id, IdWidth);
        Cell(origin, OriginWidth);
        Cell(classification, ClassificationWidth);
        _line.Append(subject.ReplaceLineEndings(" "));
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
