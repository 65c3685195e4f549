using CableService.Paging;
using Cables.Storage;

namespace CableService.Tests.Units;

public sealed class ResumeTokenTests
{
    [Fact]
    public void Round_trips_cursor_and_fingerprint_through_a_url_safe_string()
    {
        var token = new ResumeToken(new CableCursor(new DateTime(2008, 9, 5, 18, 18, 0, DateTimeKind.Utc), "08BRUSSELS1390"), UInt128.MaxValue - 7);
        var text = token.Encode(s_key);
        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(ResumeToken.TryDecode(text, s_key, out var decoded));
        Assert.Equal(token, decoded);
        Assert.Equal(DateTimeKind.Utc, decoded.Cursor.Created.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token!")]
    [InlineData("AQ")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Rejects_malformed_tokens(string text) => Assert.False(ResumeToken.TryDecode(text, s_key, out _));

    [Fact]
    public void Rejects_an_overlong_token() => Assert.False(ResumeToken.TryDecode(new string('A', 4000), s_key, out _));

    [Fact]
    public void Every_single_character_change_of_a_token_is_refused()
    {
        var text = new ResumeToken(new CableCursor(DateTime.UnixEpoch, "08BRUSSELS1390"), 42).Encode(s_key);
        for (var i = 0; i < text.Length; i++)
        {
            var changed = text[..i] + (text[i] == 'A' ? 'B' : 'A') + text[(i + 1)..];
            Assert.False(ResumeToken.TryDecode(changed, s_key, out _), $"changed at {i}: {changed}");
        }
    }

    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];
}
