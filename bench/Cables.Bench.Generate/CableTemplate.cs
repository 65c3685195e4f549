using System.Text;
using System.Text.RegularExpressions;

namespace Cables.Bench.Generate;

/// <summary>The parts of a corpus cable a generated cable rewrites; everything else is copied verbatim.</summary>
public enum SlotKind
{
    /// <summary>The date-time group line (<c>P 091342Z JAN 05</c>); <see cref="Segment.Text"/> holds its precedence prefix.</summary>
    DateTimeGroup,

    /// <summary>The FM line's plain language address.</summary>
    From,

    /// <summary>The DE line; <see cref="Segment.Text"/> holds the section suffix (<c>/01</c>) or nothing.</summary>
    DeLine,

    /// <summary>Station and serial of the banner (<c>ATHENS 001917</c>) and of page markers; <see cref="Segment.Width"/> digits at least.</summary>
    StationSerial,

    /// <summary>The TAGS list after <c>TAGS:</c>.</summary>
    Tags,

    /// <summary>Where the header column ends and the content column begins.</summary>
    ColumnBreak,
}

/// <summary>Either CSV-escaped UTF-8 text copied as is, or a slot filled per generated cable.</summary>
public sealed record Segment(byte[]? Literal, SlotKind Slot = default, string Text = "", int Width = 0);

/// <summary>A corpus cable cut into literal text and slots, so that generating a cable is a run of block copies.</summary>
public sealed partial class CableTemplate
{
    public required string ReferenceId { get; init; }

    public required string Classification { get; init; }

    /// <summary>CSV-escaped <c>|</c>-separated reference ids, as the dump's references column holds them.</summary>
    public required string References { get; init; }

    public required Segment[] Segments { get; init; }

    /// <summary>The post this cable came from, when its header names one (FM line): feeds the post catalog.</summary>
    public Post? Post { get; init; }

    /// <summary>The DE line's routing indicator, when the cable has one.</summary>
    public string? RoutingIndicator { get; init; }

    /// <summary>TAGS tokens as written (codes only), to build a realistic tag pool.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The content column (banner onwards) as plain text: what full-text search sees of the cable.</summary>
    public required string Content { get; init; }

    [GeneratedRegex(@"^(\d{2})([A-Z]+)(\d+)$")]
    private static partial Regex ReferenceIdPattern();

    [GeneratedRegex(@"^(\s*(?:[A-Z](?: [A-Z])? )?)\d{6}Z [A-Za-z]{3} \d{2}\s*$")]
    private static partial Regex DateTimeGroupLine();

    [GeneratedRegex(@"^FM (\S.*?)\s*$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^DE ([A-Z]{4,7}) #\d{4}(/\d+)? \d{7}\s*$")]
    private static partial Regex DeLine();

    [GeneratedRegex(@"^(\s*TAGS:?\s*)(.*?)\s*$")]
    private static partial Regex TagsLine();

    [GeneratedRegex(@"[A-Z]+")]
    private static partial Regex TagToken();

    /// <summary>Cuts a corpus cable into a template, or null when it lacks what the generator must rewrite (banner, TAGS).</summary>
    public static CableTemplate? TryCreate(string referenceId, string origin, string classification, IReadOnlyList<string> references, string text)
    {
        var id = ReferenceIdPattern().Match(referenceId);
        if (!id.Success)
            return null;
        var station = id.Groups[2].Value;
        var serial = int.Parse(id.Groups[3].ValueSpan);

        // The banner ends a line with the station (its words may be spaced: HO CHI MINH CITY) and the serial.
        var stationSerial = new Regex($@"(?<![A-Z])({string.Join(" ?", station.ToCharArray())}) (0*{serial})(?!\d)", RegexOptions.CultureInvariant);

        var lines = text.Split('\n');
        var dtgLine = Array.FindIndex(lines, l => DateTimeGroupLine().IsMatch(l));
        var contentStart = -1;
        for (var i = Math.Max(dtgLine + 1, 0); i < lines.Length && contentStart < 0; i++)
        {
            if (stationSerial.IsMatch(lines[i]))
                contentStart = i;
        }
        var tagsLine = contentStart < 0 ? -1 : Array.FindIndex(lines, contentStart, l => TagsLine().IsMatch(l));
        if (contentStart < 0 || tagsLine < 0)
            return null;

        var builder = new TemplateBuilder();
        string? plad = null, routingIndicator = null, bannerStation = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i == contentStart)
            {
                builder.Slot(SlotKind.ColumnBreak);
            }

            Match m;
            if (i < contentStart && (m = DateTimeGroupLine().Match(line)).Success)
            {
                builder.Slot(SlotKind.DateTimeGroup, m.Groups[1].Value);
            }
            else if (i < contentStart && (m = FromLine().Match(line)).Success)
            {
                plad ??= m.Groups[1].Value;
                builder.Literal("FM ").Slot(SlotKind.From);
            }
            else if (i < contentStart && (m = DeLine().Match(line)).Success)
            {
                routingIndicator ??= m.Groups[1].Value;
                builder.Slot(SlotKind.DeLine, m.Groups[2].Value);
            }
            else if (i == tagsLine)
            {
                m = TagsLine().Match(line);
                builder.Literal(m.Groups[1].Value).Slot(SlotKind.Tags);
                // A wrapped TAGS list ends its lines with a comma: its continuation lines go with it.
                while (line.TrimEnd().EndsWith(',') && i + 1 < lines.Length && lines[i + 1].Trim().Length > 0)
                    line = lines[++i];
            }
            else
            {
                var at = 0;
                foreach (Match s in stationSerial.Matches(line))
                {
                    bannerStation ??= i >= contentStart ? s.Groups[1].Value : null;
                    builder.Literal(line[at..s.Index]).Slot(SlotKind.StationSerial, width: s.Groups[2].Length);
                    at = s.Index + s.Length;
                }
                builder.Literal(line[at..]);
            }

            // The header column ends with the newline that separated it from the content in the corpus file.
            if (i + 1 < lines.Length && i + 1 != contentStart)
                builder.Literal("\n");
        }

        var tags = TagToken().Matches(TagsLine().Match(lines[tagsLine]).Groups[2].Value)
            .Select(t => t.Value)
            .Where(t => t.Length is 2 or 4 && t != "TAGS")
            .ToArray();

        return new CableTemplate
        {
            ReferenceId = referenceId,
            Classification = CsvText.Escape(classification),
            References = CsvText.Escape(string.Join('|', references)),
            Segments = builder.Build(),
            Post = plad is null || bannerStation is null ? null : new Post(origin, plad, station, bannerStation, routingIndicator),
            RoutingIndicator = routingIndicator,
            Tags = tags,
            Content = string.Join('\n', lines[contentStart..]),
        };
    }

    /// <summary>Accumulates literal text (merged, CSV-escaped at the end) and slots.</summary>
    private sealed class TemplateBuilder
    {
        private readonly List<Segment> _segments = [];
        private readonly StringBuilder _literal = new();

        public TemplateBuilder Literal(string text)
        {
            _literal.Append(text);
            return this;
        }

        public TemplateBuilder Slot(SlotKind kind, string text = "", int width = 0)
        {
            Flush();
            _segments.Add(new Segment(null, kind, text, width));
            return this;
        }

        public Segment[] Build()
        {
            Flush();
            return [.. _segments];
        }

        private void Flush()
        {
            if (_literal.Length == 0)
                return;
            _segments.Add(new Segment(Encoding.UTF8.GetBytes(CsvText.Escape(_literal.ToString()))));
            _literal.Clear();
        }
    }
}
