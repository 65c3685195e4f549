using System.Text;
using V1 = Cables.Api.V1;

namespace Cables.Cli.Output;

/// <summary>
/// The versions of a cable for people: revision (<c>*</c> marks the current one), when it was ingested, its format, the
/// start of its SHA-256, its classification, where it came from and its subject. Fixed widths, written row by row.
/// </summary>
public sealed class RevisionTable(TextWriter writer)
{
    private const int RevisionWidth = 5;
    private const int IngestedWidth = 19;
    private const int FormatWidth = 14;
    private const int ShaWidth = 12;
    private const int ClassificationWidth = 22;
    private const int SourceWidth = 32;

    private readonly StringBuilder _line = new(256);
    private bool _headerWritten;

    public async Task WriteAsync(V1.CableRevision revision)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            await writer.WriteLineAsync(Row("REV", "INGESTED (UTC)", "FORMAT", "SHA-256", "CLASSIFICATION", "SOURCE", "SUBJECT"));
        }

        var ingested = revision.Ingested is null ? "" : revision.Ingested.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss");
        var sha = revision.ContentSha256.Length > ShaWidth ? revision.ContentSha256[..ShaWidth] : revision.ContentSha256;
        await writer.WriteLineAsync(Row(
            $"{revision.Revision}{(revision.Current ? "*" : "")}",
            ingested,
            Format(revision.Format),
            sha,
            revision.Cable?.Classification?.Label ?? "",
            revision.Source,
            revision.Cable?.Subject ?? ""));
    }

    private static string Format(V1.SourceFormat format) => format switch
    {
        V1.SourceFormat.Telegram => "telegram",
        V1.SourceFormat.WikileaksHtml => "wikileaks-html",
        V1.SourceFormat.CablesCsv => "cables-csv",
        _ => "unknown",
    };

    private string Row(string revision, string ingested, string format, string sha, string classification, string source, string subject)
    {
        _line.Clear();
        Cell(revision, RevisionWidth);
        Cell(ingested, IngestedWidth);
        Cell(format, FormatWidth);
        Cell(sha, ShaWidth);
        Cell(classification, ClassificationWidth);
        Cell(source.ReplaceLineEndings(" "), SourceWidth);
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
