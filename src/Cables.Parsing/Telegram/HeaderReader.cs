using System.Globalization;
using Cables.Parsing.Fields;
using Cables.Parsing.Model;

namespace Cables.Parsing.Telegram;

/// <summary>The header block and what was read from it, plus where the body starts.</summary>
internal sealed record HeaderBlock(TelegramHeader Header, string Text, DateTimeGroup? DateTimeGroup, int BodyLine);

/// <summary>
/// Reads the transmission header: the lines above the first blank line when they look like one
/// (<c>VZCZC…</c>, routing, <c>DE</c>, <c>ZNY</c>, the date-time group, <c>FM</c>/<c>TO</c>/<c>INFO</c>/<c>XMT</c>).
/// cables.csv rows start at the DTG line; WikiLeaks partial extracts keep only a DTG (<c>292031Z Sep 05</c>).
/// </summary>
internal static class HeaderReader
{
    /// <summary>
    /// The first line of a transmission header among the text's opening lines (before any field line): <c>VZCZC…</c>,
    /// a <c>DE</c> line with its serial, or a date-time group line; -1 when none. Text pasted from a mail client
    /// (sender, date, "Cable Text:", a copy of the banner) can come before it: the telegram starts there.
    /// </summary>
    public static int FindStart(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count && i < StartLines; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (Banner.IsFieldLine(line))
            {
                break;
            }

            var span = line.AsSpan().TrimStart();
            if (span.StartsWith("VZCZC") || (span.StartsWith("DE R") && span.Contains('#')) || DateTimeGroup.TryParse(span, out _))
            {
                return i;
            }
        }

        return -1;
    }

    private const int StartLines = 300;

    /// <summary>Reads the header from line <paramref name="start"/> up to <paramref name="end"/> (the classification
    /// banner), or, when <paramref name="end"/> is negative, to the end of the block of lines that opens there, when
    /// that block looks like a header.</summary>
    public static HeaderBlock Read(IReadOnlyList<string> lines, int start, int end)
    {
        if (end < 0)
        {
            end = start;
            while (end < lines.Count && lines[end].Length > 0)
            {
                end++;
            }
        }

        if (end <= start || !LooksLikeHeader(lines, start, end))
        {
            return new HeaderBlock(TelegramHeader.Empty, "", null, 0);
        }

        string? transmissionId = null, station = null, serial = null, section = null, filingTime = null;
        string? securityLine = null, dtgText = null, from = null;
        DateTimeGroup? dtg = null;
        var routing = new List<string>();
        var exclusions = new List<string>();
        var inRouting = false;

        for (var i = start; i < end; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                inRouting = false;
            }
            else if (line.StartsWith("VZCZC", StringComparison.Ordinal))
            {
                transmissionId = line;
                inRouting = true;
            }
            else if (line.StartsWith("DE ", StringComparison.Ordinal))
            {
                inRouting = false;
                ReadDe(line, out station, out serial, out section, out filingTime);
            }
            else if (line.StartsWith("ZNY ", StringComparison.Ordinal) || line.StartsWith("ZNR ", StringComparison.Ordinal))
            {
                securityLine = line;
            }
            else if (dtg is null && DateTimeGroup.TryParse(line, out var parsed))
            {
                dtg = parsed;
                dtgText = line;
            }
            else if (from is null && line.StartsWith("FM ", StringComparison.Ordinal) && !line.AsSpan(3).ContainsAnyInRange('a', 'z'))
            {
                from = line[3..].Trim();
            }
            else if (dtg is null && line.StartsWith(TelegramText.CableDated, StringComparison.Ordinal)
                && DateTime.TryParse(line.AsSpan(TelegramText.CableDated.Length), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dated))
            {
                // A mirror's own statement of the DTG when its header is lost.
                dtg = new DateTimeGroup(dated, null, null);
            }
            else if (line.StartsWith("XMT ", StringComparison.Ordinal))
            {
                exclusions.Add(line[4..].Trim());
            }
            else if (inRouting)
            {
                AddRoutingIndicators(line, routing);
            }
        }

        var text = string.Join('\n', lines.Skip(start).Take(end - start)).Trim('\n');
        var header = new TelegramHeader
        {
            TransmissionId = transmissionId,
            Precedence = dtg?.Precedence,
            SecondaryPrecedence = dtg?.SecondaryPrecedence,
            RoutingIndicators = routing,
            OriginatingStation = station,
            StationSerialNumber = serial,
            Section = section,
            FilingTime = filingTime,
            SecurityLine = securityLine,
            DateTimeGroup = dtgText,
            From = from,
            To = Recipients.ParseTo(text),
            Info = Recipients.ParseInfo(text),
            Exclusions = exclusions,
        };

        return new HeaderBlock(header, text, dtg, end);
    }

    /// <summary><c>DE RUEHBS #1390/01 2491818</c>: station, serial, section, Julian filing time.</summary>
    internal static void ReadDe(string line, out string? station, out string? serial, out string? section, out string? filingTime)
    {
        station = serial = section = filingTime = null;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 1)
        {
            station = parts[1];
        }

        if (parts.Length > 2 && parts[2].StartsWith('#'))
        {
            var number = parts[2].AsSpan(1);
            var slash = number.IndexOf('/');
            serial = (slash < 0 ? number : number[..slash]).ToString();
            section = slash < 0 ? null : number[(slash + 1)..].ToString();
            if (serial.Length == 0 || serial.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                serial = null;
            }
        }

        if (parts.Length > 3 && parts[3].Length == 7 && !parts[3].AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            filingTime = parts[3];
        }
    }

    private static void AddRoutingIndicators(string line, List<string> routing)
    {
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // The precedence prosign (PP, OO, RR, ZZ, OP…) opens the line; indicators are R… codes.
            if (token.Length >= 4 && token[0] == 'R')
            {
                routing.Add(token);
            }
        }
    }

    private static bool LooksLikeHeader(IReadOnlyList<string> lines, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.StartsWith("VZCZC") || line.StartsWith("DE ") || line.StartsWith("FM ")
                || line.StartsWith("ZNY ") || line.StartsWith("ZNR ") || line.StartsWith(TelegramText.CableDated) || DateTimeGroup.TryParse(line, out _))
            {
                return true;
            }
        }

        return false;
    }
}
