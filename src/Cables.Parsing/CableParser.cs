using System.Text;
using Cables.Parsing.Fields;
using Cables.Parsing.Internal;
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
        catch (Exception ex) when (ex is not (ParseBudgetExceededException or OperationCanceledException))
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

    /// <summary>
    /// The numbered paragraphs of a parsed <see cref="ParsedCable.Body"/>, as <see cref="ParsedCable.Paragraphs"/> reads
    /// them on first use. A store can keep the body alone and read the paragraphs from it when asked.
    /// </summary>
    public static IReadOnlyList<Paragraph> ReadParagraphs(string body) =>
        body.Length == 0 ? [] : ParagraphReader.Read(new TextLines(body.AsMemory()), 0);

    /// <summary>
    /// The paragraphs <see cref="ReadParagraphs"/> reads from <paramref name="body"/>, handed to <paramref name="visit"/>
    /// one at a time as number, marking and text. The text is a builder valid only during the call: a caller that
    /// encodes the paragraphs as they come makes no string of them.
    /// </summary>
    public static void VisitParagraphs(ReadOnlyMemory<char> body, Action<int?, string?, StringBuilder> visit)
    {
        if (body.Length > 0)
        {
            ParagraphReader.Visit(new TextLines(body), 0, visit);
        }
    }

    /// <summary>The parse itself; tests call it directly so that an exception is a failure, not a warning.</summary>
    internal static ParsedCable ParseCore(string text, SourceMetadata? metadata)
    {
        var warnings = new List<ParseWarning>();

        // The normalised text lives in a builder kept per thread: lines, body and front matter are cut from it, so no
        // whole-text copy is allocated per cable (fewer bytes to allocate, fill and collect on every core).
        var buffer = t_normalized ??= new StringBuilder();
        var partialNotice = TelegramText.Normalize(text, buffer);
        BudgetClock.CheckBetween();
        var lines = new TextLines(Contents(buffer));

        var (banner, bannerIndex, header) = ReadHeaderAndBanner(lines);
        var bodyStart = bannerIndex >= 0 ? bannerIndex : header.BodyLine;
        while (bodyStart < lines.Count && lines.LengthOf(bodyStart) == 0)
        {
            bodyStart++;
        }

        BudgetClock.CheckBetween();
        var body = lines.Join(bodyStart, lines.Count);
        var dtg = header.DateTimeGroup is { } written ? CheckedAgainstFiling(written, header.Header.FilingTime, warnings) : (DateTimeGroup?)null;
        if (header.Header == TelegramHeader.Empty)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingHeader, "no telegram header (VZCZC/DE/DTG/FM lines)"));
        }

        if (dtg is null)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingDateTimeGroup, "no date-time group"));
        }

        var foreignBanner = false;
        var textId = dtg is { } group ? IdFromText(header, banner, group, warnings, out foreignBanner) : null;
        var referenceId = ResolveReferenceId(textId, metadata, warnings);

        var securityLevel = Banner.LevelOfSecurityLine(header.Header.SecurityLine);
        var level = foreignBanner && securityLevel != ClassificationLevel.Unknown
            ? securityLevel
            : banner?.EffectiveLevel ?? securityLevel;
        var caveats = !foreignBanner ? banner?.Caveats ?? [] : [];
        if (level == ClassificationLevel.Unknown)
        {
            (level, caveats) = Banner.LevelOfParagraphMarkings(ReadParagraphs(body));
            warnings.Add(new ParseWarning(WarningCode.MissingClassification, level == ClassificationLevel.Unknown
                ? "no classification banner, security line or paragraph marking"
                : "no classification banner or security line: the level is the highest paragraph marking"));
        }

        var origin = OriginPosts.FromPlad(header.Header.From) ?? OriginPosts.FromBannerCity(banner?.City) ?? metadata?.Origin;
        if (origin is null)
        {
            warnings.Add(new ParseWarning(WarningCode.UnknownOrigin, "no FM line or banner naming the originator"));
        }

        // The extractors each scan what they are given: hand them their part of the cable, not the whole body.
        var frontMatter = lines.Join(bodyStart, FrontMatterEnd(lines, bodyStart));
        var executiveOrder = FindExecutiveOrder(lines, bodyStart);
        BudgetClock.CheckBetween();
        var tags = Tags.Parse(frontMatter);
        BudgetClock.CheckBetween();
        var subject = Subjects.Parse(frontMatter);
        if (subject is null)
        {
            warnings.Add(new ParseWarning(WarningCode.MissingSubject, "no SUBJECT line"));
        }

        BudgetClock.CheckBetween();
        var classifiedBy = ClassifiedBy.Parse(frontMatter, normalize: true);
        var year = dtg?.Utc.Year ?? metadata?.Created?.Year ?? YearOf(referenceId);
        var tail = lines.Join(Math.Max(bodyStart, lines.Count - TailLines), lines.Count);
        BudgetClock.CheckBetween();
        var references = References.Parse(frontMatter, year ?? 0, referenceId);
        BudgetClock.CheckBetween();
        var summary = Summaries.Parse(body, referenceId);
        BudgetClock.CheckBetween();
        var signers = Signers.Parse(tail);
        if (buffer.Capacity > MaxKeptBuffer)
        {
            t_normalized = null;
        }

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
            References = references,
            ClassifiedBy = classifiedBy.Classifiers,
            ClassificationReasons = classifiedBy.Reasons,
            Summary = summary,
            Signers = signers,
            IsPartialExtract = metadata?.PartialExtract ?? (partialNotice || header.Header == TelegramHeader.Empty),
            Body = body,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The DE line's filing time (<c>3121632</c>: day 312, 16:32) repeats the DTG's hour and minute. Where those agree and
    /// only the day differs, by a few days, the DTG's day is a slip (<c>101632Z NOV 08</c> filed on day 312, 7 November):
    /// the date is the filing day's, as the archive dates such cables.
    /// </summary>
    private static DateTimeGroup CheckedAgainstFiling(DateTimeGroup dtg, string? filingTime, List<ParseWarning> warnings)
    {
        if (filingTime is not { Length: 7 } || !int.TryParse(filingTime.AsSpan(0, 3), provider: null, out var day)
            || !int.TryParse(filingTime.AsSpan(3, 2), provider: null, out var hour) || !int.TryParse(filingTime.AsSpan(5, 2), provider: null, out var minute))
        {
            return dtg;
        }

        var utc = dtg.Utc;
        if (hour != utc.Hour || minute != utc.Minute || day == utc.DayOfYear || day < 1 || day > (DateTime.IsLeapYear(utc.Year) ? 366 : 365))
        {
            return dtg;
        }

        var filed = new DateTime(utc.Year, 1, 1, hour, minute, 0, DateTimeKind.Utc).AddDays(day - 1);
        if (Math.Abs((filed - utc).TotalDays) > MaxDaySlip)
        {
            return dtg;
        }

        warnings.Add(new ParseWarning(WarningCode.InconsistentMetadata, $"the DTG reads {utc:yyyy-MM-dd HH:mm}, the DE line's filing time {filed:yyyy-MM-dd HH:mm}: the date follows the DE line"));
        return dtg with { Utc = filed };
    }

    private const int MaxDaySlip = 9;

    /// <summary>
    /// The header (its first line found wherever the text starts it) and the banner that follows it. A banner above
    /// the header is a copy, as a mail client pasted it or a mirror's page header: the telegram's own banner comes
    /// after its header, and the copy gives only the serial the own one may lack.
    /// </summary>
    private static (Banner? Banner, int BannerIndex, HeaderBlock Header) ReadHeaderAndBanner(TextLines lines)
    {
        var headerStart = HeaderReader.FindStart(lines);
        var banner = Banner.Find(lines, 0, out var bannerIndex);
        var headerEnd = bannerIndex;
        if (headerStart > bannerIndex && bannerIndex >= 0)
        {
            var own = Banner.Find(lines, headerStart + 1, out var ownIndex);
            if (own is not null && ownIndex > headerStart)
            {
                banner = own.City is null && banner!.City is not null ? own with { City = banner.City, Serial = banner.Serial, SerialGlued = banner.SerialGlued } : own;
                bannerIndex = ownIndex;
                headerEnd = ownIndex;
            }
            else
            {
                headerEnd = -1;
            }
        }

        // The header is read from the top unless a blank line parts what precedes it (a mail client's lines).
        var headerFrom = 0;
        for (var i = 0; i < headerStart; i++)
        {
            if (lines.LengthOf(i) == 0)
            {
                headerFrom = headerStart;
                break;
            }
        }

        return (banner, bannerIndex, HeaderReader.Read(lines, headerFrom, headerEnd));
    }

    /// <summary>
    /// The reference id the text gives: <c>YY</c> from the DTG, then the originator and serial of the banner, which is
    /// what the archive read (its spelling of the post, <c>BRUSSELS</c> under <c>FM USEU BRUSSELS</c>, included). The
    /// header's DE serial and FM post stand in when the banner has no serial (damaged, cut, missing), and win over a
    /// banner that names another post (a page gluing one cable's header to another's body) or another serial, unless
    /// that serial is itself damaged (run into letters), which the archive read as written.
    /// </summary>
    private static string? IdFromText(HeaderBlock header, Banner? banner, DateTimeGroup dtg, List<ParseWarning> warnings, out bool foreignBanner)
    {
        foreignBanner = false;
        var fromPost = OriginPosts.IdCityFromPlad(header.Header.From);
        var deSerial = header.Header.StationSerialNumber?.TrimStart('0');
        var headerId = Compose(dtg, fromPost, deSerial);
        if (banner is not { City: not null, Serial: not null })
        {
            if (headerId is not null)
            {
                warnings.Add(new ParseWarning(WarningCode.ReferenceIdFromHeader,
                    $"no serial on a banner: {headerId} is the DE line's serial {deSerial}, the FM line's post {header.Header.From} and the DTG's year"));
            }

            return headerId;
        }

        var bannerPost = banner.City.Replace(" ", "", StringComparison.Ordinal);
        var bannerId = Compose(dtg, bannerPost, banner.Serial);
        if (fromPost is not null && !SamePost(bannerPost, fromPost))
        {
            foreignBanner = true;
            warnings.Add(new ParseWarning(WarningCode.InconsistentMetadata, headerId is null
                ? $"the banner reads {bannerId}, but the FM line names {header.Header.From} and no DE line gives a serial"
                : $"the banner reads {bannerId}, the header {headerId}"));
            return headerId;
        }

        if (deSerial is not null && !banner.SerialGlued && !SameSerial(banner.Serial, deSerial) && headerId is not null)
        {
            warnings.Add(new ParseWarning(WarningCode.InconsistentMetadata, $"the banner reads {bannerId}, the header {headerId}"));
            return headerId;
        }

        return bannerId;
    }

    /// <summary>
    /// Whether the banner's post and the FM line's are one: equal as ids spell them, or one the other with an office
    /// prefix (<c>USEUBRUSSELS</c> and <c>BRUSSELS</c>, <c>AITTAIPEI</c> and <c>TAIPEI</c>).
    /// </summary>
    private static bool SamePost(string bannerPost, string fromPost)
    {
        var a = ReferenceIds.CanonicalizeStation(bannerPost);
        var b = ReferenceIds.CanonicalizeStation(fromPost);
        return a.EndsWith(b, StringComparison.Ordinal) || b.EndsWith(a, StringComparison.Ordinal)
            || bannerPost.EndsWith(fromPost, StringComparison.Ordinal) || fromPost.EndsWith(bannerPost, StringComparison.Ordinal);
    }

    /// <summary>Serials equal modulo 10,000: the DE line keeps the serial's last four digits.</summary>
    private static bool SameSerial(string bannerSerial, string deSerial) =>
        bannerSerial.Length < 12 && deSerial.Length < 12
        && long.Parse(bannerSerial, provider: null) % 10_000 == long.Parse(deSerial, provider: null) % 10_000;

    private static string? Compose(DateTimeGroup dtg, string? city, string? serial) =>
        string.IsNullOrEmpty(city) || string.IsNullOrEmpty(serial) ? null : ReferenceIds.Canonicalize($"{dtg.Utc.Year % 100:00}{city}{serial}");

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

        // The source wins a disagreement: where the text's id differs from the archive's (a garbled banner serial, a
        // page holding another post's banner) the archive is right, and the source's id is what callers look it up by.
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
    private static string? FindExecutiveOrder(TextLines lines, int bodyStart)
    {
        for (var i = bodyStart; i < lines.Count && i - bodyStart < 60; i++)
        {
            var line = lines.Span(i).TrimStart();
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

    /// <summary>
    /// The end of the body's opening lines up to the first numbered paragraph (banner, caveats, E.O., TAGS, SUBJECT, REF,
    /// Classified By), at most <see cref="FrontMatterLines"/> lines: where TAGS, SUBJECT, REF and the classifier are.
    /// </summary>
    private static int FrontMatterEnd(TextLines lines, int bodyStart)
    {
        var end = bodyStart;
        while (end < lines.Count && end - bodyStart < FrontMatterLines
            && !(lines.LengthOf(end) > 0 && (end == bodyStart || lines.LengthOf(end - 1) == 0) && ParagraphReader.TryStart(lines.Span(end), out _, out _, out _)))
        {
            end++;
        }

        return end;
    }

    private const int FrontMatterLines = 120;

    /// <summary>The last lines of the body, where signers sign.</summary>
    private const int TailLines = 12;

    /// <summary>Larger buffers (a pathological cable) are not kept past their parse.</summary>
    private const int MaxKeptBuffer = 1 << 20;

    [ThreadStatic]
    private static StringBuilder? t_normalized;

    /// <summary>The builder's text without copying it: one chunk, unless the text outgrew the capacity reserved for it.</summary>
    private static ReadOnlyMemory<char> Contents(StringBuilder builder)
    {
        foreach (var chunk in builder.GetChunks())
        {
            if (chunk.Length == builder.Length)
            {
                return chunk;
            }

            break;
        }

        return builder.ToString().AsMemory();
    }
}
