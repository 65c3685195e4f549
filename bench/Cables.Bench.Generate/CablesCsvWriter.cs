using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Cables.Bench.Generate;

/// <summary>Writes generated cables as rows of the cables.csv dump: id, date, refid, origin, classification, references, header, content.</summary>
public sealed class CablesCsvWriter(Stream output) : IDisposable
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private readonly Stream _output = new BufferedStream(output, 1 << 20);
    private readonly byte[] _scratch = new byte[1 << 16];

    public long BytesWritten { get; private set; }

    public void Write(GeneratedCable cable)
    {
        var c = cable.Created;
        var post = cable.Post;
        var t = cable.Template;
        Emit(_scratch, $"\"{cable.Row}\",\"{c.Month}/{c.Day}/{c.Year} {c.Hour}:{c.Minute:D2}\",\"{cable.ReferenceId}\",\"{CsvText.Escape(post.Label)}\",\"{t.Classification}\",\"{t.References}\",\"");
        foreach (var segment in t.Segments)
        {
            if (segment.Literal is { } literal)
            {
                Emit(literal);
                continue;
            }
            switch (segment.Slot)
            {
                case SlotKind.DateTimeGroup:
                    Emit(_scratch, $"{segment.Text}{c.Day:D2}{c.Hour:D2}{c.Minute:D2}Z {Months[c.Month - 1]} {c.Year % 100:D2}");
                    break;
                case SlotKind.From:
                    Emit(CsvText.Escape(post.Plad));
                    break;
                case SlotKind.DeLine:
                    var routing = post.RoutingIndicator ?? t.RoutingIndicator;
                    Emit(_scratch, $"DE {routing} #{cable.Serial % 10000:D4}{segment.Text} {c.DayOfYear:D3}{c.Hour:D2}{c.Minute:D2}");
                    break;
                case SlotKind.StationSerial:
                    Emit(_scratch, $"{CsvText.Escape(post.BannerStation)} ");
                    EmitPadded(cable.Serial, Math.Max(segment.Width, 6));
                    break;
                case SlotKind.Tags:
                    for (var i = 0; i < cable.Tags.Length; i++)
                        Emit(i == 0 ? cable.Tags[i] : $", {cable.Tags[i]}");
                    break;
                case SlotKind.ColumnBreak:
                    Emit("\",\"");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown slot {segment.Slot}");
            }
        }
        Emit("\"\n");
    }

    public void Flush() => _output.Flush();

    /// <summary>One cable as a cables.csv row.</summary>
    public static string ToRow(GeneratedCable cable)
    {
        var buffer = new MemoryStream();
        using (var writer = new CablesCsvWriter(buffer))
        {
            writer.Write(cable);
            writer.Flush();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Dispose() => _output.Dispose();

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        BytesWritten += bytes.Length;
    }

    private void Emit(string text)
    {
        var n = Encoding.UTF8.GetBytes(text, _scratch);
        Emit(_scratch.AsSpan(0, n));
    }

    // Formats straight into the scratch buffer as UTF-8: no string per field.
    private void Emit(Span<byte> scratch, [InterpolatedStringHandlerArgument(nameof(scratch))] ref Utf8.TryWriteInterpolatedStringHandler handler)
    {
        if (!Utf8.TryWrite(scratch, ref handler, out var length))
            throw new InvalidOperationException("A generated field does not fit the scratch buffer.");
        Emit(scratch[..length]);
    }

    private void EmitPadded(int value, int width)
    {
        Span<byte> digits = stackalloc byte[16];
        _ = Utf8.TryWrite(digits, $"{value}", out var n);
        for (var i = n; i < width; i++)
            Emit("0"u8);
        Emit(digits[..n]);
    }
}
