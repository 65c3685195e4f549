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

    private static readonly string[] s_header = ["REV", "INGESTED (UTC)", "FORMAT", "SHA-256", "CLASSIFICATION", "SOURCE", "SUBJECT"];

    private readonly FixedColumns _columns =
        new(writer, s_header, RevisionWidth, IngestedWidth, FormatWidth, ShaWidth, ClassificationWidth, SourceWidth);

    public Task WriteAsync(V1.CableRevision revision) => _columns.WriteRowAsync(
        $"{revision.Revision}{(revision.Current ? "*" : "")}",
        revision.Ingested is null ? "" : revision.Ingested.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss"),
        Format(revision.Format),
        revision.ContentSha256.Length > ShaWidth ? revision.ContentSha256[..ShaWidth] : revision.ContentSha256,
        revision.Cable?.Classification?.Label ?? "",
        revision.Source.ReplaceLineEndings(" "),
        revision.Cable?.Subject ?? "");

    private static string Format(V1.SourceFormat format) => format switch
    {
        V1.SourceFormat.Telegram => "telegram",
        V1.SourceFormat.WikileaksHtml => "wikileaks-html",
        V1.SourceFormat.CablesCsv => "cables-csv",
        _ => "unknown",
    };
}
