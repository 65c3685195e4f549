namespace Cables.Cli.Output;

/// <summary>Cables for people, a row each as it arrives: created, id, origin, classification, subject.</summary>
public sealed class CableTable(TextWriter writer)
{
    private const int CreatedWidth = 16;
    private const int IdWidth = 20;
    private const int OriginWidth = 26;
    private const int ClassificationWidth = 22;

    private static readonly string[] s_header = ["CREATED (UTC)", "REFERENCE ID", "ORIGIN", "CLASSIFICATION", "SUBJECT"];

    private readonly FixedColumns _columns = new(writer, s_header, CreatedWidth, IdWidth, OriginWidth, ClassificationWidth);

    public Task WriteAsync(V1.Cable cable) => _columns.WriteRowAsync(
        cable.Created is null ? "" : cable.Created.ToDateTime().ToString("yyyy-MM-dd HH:mm"),
        cable.ReferenceId,
        cable.Origin,
        cable.Classification?.Label ?? "",
        cable.Subject);
}
