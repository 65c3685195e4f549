using Cables.Parsing.Model;

namespace Cables.Parsing.Formats;

/// <summary>Unwraps a WikiLeaks cable page into telegram text plus the page's metadata. Stub until parser-fields lands.</summary>
public static class WikiLeaksHtml
{
    public static RawCable Read(string html) => new(html, SourceFormat.WikiLeaksHtml, null);
}
