using Cables.Parsing.Fields;
using Cables.Parsing.Model;
using Cables.Parsing.Origins;
using Cables.Parsing.Telegram;

namespace Cables.Parsing;

/// <summary>Entry point: telegram text (plus what its source states) to <see cref="ParsedCable"/>. Never throws.</summary>
public static class CableParser
{
    public static ParsedCable Parse(RawCable cable) => Parse(cable.Text, cable.Metadata);

    public static ParsedCable Parse(string text, SourceMetadata? metadata = null)
    {
        try
        {
            return ParseCore(text ?? "", metadata);
        }
        catch (Exception ex)
        {
            // Last resort: a parser bug must cost one cable's fields, never the caller's batch.
            return new ParsedCable
            {
                ReferenceId = metadata?.ReferenceId is { } id ? ReferenceIds.Canonicalize(id) : null,
                Created = metadata?.Created,
                Origin = metadata?.Origin,
                Body = text ?? "",
                Warnings = [new ParseWarning(WarningCode.UnreadableLine, $"parser failed: {ex.GetType().Name}: {ex.Message}")],
            };
        }
    }

    /// <summary>The parse itself; tests call it directly so that an exception is a failure, not a warning.</summary>
    internal static ParsedCable ParseCore(string text, SourceMetadata? metadata)
    {
        var warnings = new List<ParseWarning>();
        var normalized = TelegramText.Normalize(text);
        var lines = SplitLines(normalized.Text);

        var banner = Banner.Find(lines, out var bannerIndex);
        var header = HeaderReader.Read(lines, bannerIndex);
        var bodyStart = bannerIndex >= 0 ? bannerIndex : header.BodyLine;
        while (bodyStart < lines.Length && lines[bodyStart].Length == 0)
        {
            bodyStart++;
        }

        var bodyLines = new ArraySegment<string>(lines, bodyStart, lines.Length - bodyStart);
        var body = string.Join('\n', lines, bodyStart, lines.Length - bodyStart);
        var dtg = header.DateTimeGroup;
        if (header.Header == TelegramHeader.Empty)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingHeader, "no telegram header (VZCZC/DE/DTG/FM lines)"));
        }

        if (dtg is null)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingDateTimeGroup, "no date-time group"));
        }

        var referenceId = ResolveReferenceId(TextReferenceId(banner, header, dtg), metadata, warnings);

        var level = banner?.EffectiveLevel ?? Banner.LevelOfSecurityLine(header.Header.SecurityLine);
        var caveats = banner?.Caveats ?? [];
        if (level == ClassificationLevel.Unknown)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingClassification, "no classification banner or security line"));
        }

        var origin = OriginPosts.FromPlad(header.Header.From) ?? OriginPosts.FromBannerCity(banner?.City) ?? metadata?.Origin;
        if (origin is null)
        {
            warnings.Add(new ParseWarning(WarningCode.UnknownOrigin, "no FM line or banner naming the originator"));
        }

        var executiveOrder = FindExecutiveOrder(bodyLines);
        var tags = Tags.Parse(body);
        var subject = Subjects.Parse(body);
        if (subject is null)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingSubject, "no SUBJECT line"));
        }

        var classifiedBy = ClassifiedBy.Parse(body, normalize: true);
        var year = dtg?.Utc.Year ?? metadata?.Created?.Year ?? YearOf(referenceId);

        return new ParsedCable
        {
            ReferenceId = referenceId,
            Created = dtg?.Utc ?? metadata?.Created,
            Header = header.Header,
            Origin = origin,
            Classification = level == ClassificationLevel.Unknown
                ? ClassificationInfo.Unknown
                : new ClassificationInfo { Level = level, Caveats = caveats, Label = Banner.Label(level, caveats) },
            ExecutiveOrder = executiveOrder,
            DeclassificationDate = executiveOrder is null ? null : Declassification.Parse(executiveOrder),
            Tags = tags.Tags,
            RawTags = tags.Raw,
            Subject = subject,
            References = References.Parse(body, year ?? 0, referenceId),
            ClassifiedBy = classifiedBy.Classifiers,
            ClassificationReasons = classifiedBy.Reasons,
            Summary = Summaries.Parse(body, referenceId),
            Paragraphs = ParagraphReader.Read(bodyLines, 0),
            Signers = Signers.Parse(body),
            IsPartialExtract = metadata?.PartialExtract ?? (normalized.PartialExtractNotice || header.Header == TelegramHeader.Empty),
            Body = body,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// <c>08BRUSSELS1390</c> from the banner's originator and serial, or the DE line's serial and the FM line's post,
    /// with the year of the date-time group. Null when the text lacks either half.
    /// </summary>
    internal static string? TextReferenceId(Banner? banner, HeaderBlock header, DateTimeGroup? dtg)
    {
        if (dtg is not { } group)
        {
            return null;
        }

        var (city, serial) = banner is { City: not null, Serial: not null }
            ? (banner.City.Replace(" ", "", StringComparison.Ordinal), banner.Serial)
            : (OriginPosts.IdCityFromPlad(header.Header.From), header.Header.StationSerialNumber?.TrimStart('0'));

        return string.IsNullOrEmpty(city) || string.IsNullOrEmpty(serial)
            ? null
            : ReferenceIds.Canonicalize($"{group.Utc.Year % 100:00}{city}{serial}");
    }

    private static string? ResolveReferenceId(string? fromText, SourceMetadata? metadata, List<ParseWarning> warnings)
    {
        var fromSource = metadata?.ReferenceId is { Length: > 0 } given ? ReferenceIds.Canonicalize(given) : null;
        if (fromText is null)
        {
            if (fromSource is null)
            {
                warnings.Add(new ParseWarning(WarningCode.MissingReferenceId, "the text gives no reference id (banner/DE serial and DTG year) and the source none"));
            }

            return fromSource;
        }

        if (fromSource is not null && !string.Equals(fromText, fromSource, StringComparison.Ordinal))
        {
            warnings.Add(new ParseWarning(WarningCode.InconsistentMetadata, $"the text reads {fromText}, the source says {fromSource}"));
            return fromSource;
        }

        return fromText;
    }

    private static int? YearOf(string? referenceId) =>
        referenceId is { Length: > 2 } && char.IsAsciiDigit(referenceId[0]) && char.IsAsciiDigit(referenceId[1])
            ? DateTimeGroup.ExpandYear(((referenceId[0] - '0') * 10) + (referenceId[1] - '0'))
            : null;

    /// <summary>The E.O. line (<c>E.O. 12958: DECL: 09/05/2018</c>, <c>EO 12958 DECL: …</c>) among the body's opening lines.</summary>
    private static string? FindExecutiveOrder(IReadOnlyList<string> bodyLines)
    {
        for (var i = 0; i < bodyLines.Count && i < 60; i++)
        {
            var line = bodyLines[i].AsSpan().TrimStart();
            if (line.StartsWith("E.O.") || line.StartsWith("E. O.") || line.StartsWith("EO 1") || line.StartsWith("E.O 1"))
            {
                return line.TrimEnd().ToString();
            }

            if (line.StartsWith("SUBJECT"))
            {
                break;
            }
        }

        return null;
    }

    private static string[] SplitLines(string text)
    {
        var lines = text.Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
