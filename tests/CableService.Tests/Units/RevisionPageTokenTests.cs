using CableService.Paging;
using Cables.Storage;

namespace CableService.Tests.Units;

public sealed class RevisionPageTokenTests
{
    private static readonly byte[] s_key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void A_token_reads_back_under_its_key_only()
    {
        var token = new RevisionPageToken("08BRUSSELS1390", 7).Encode(s_key);

        Assert.True(RevisionPageToken.TryDecode(token, s_key, out var read));
        Assert.Equal(new RevisionPageToken("08BRUSSELS1390", 7), read);
        Assert.False(RevisionPageToken.TryDecode(token, [.. Enumerable.Reverse(s_key)], out _));
        Assert.False(RevisionPageToken.TryDecode(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], s_key, out _));
        Assert.False(RevisionPageToken.TryDecode("", s_key, out _));
        Assert.False(RevisionPageToken.TryDecode("not a token!", s_key, out _));
    }

    [Fact]
    public void A_resume_token_is_not_a_revision_page_token()
    {
        var resume = new ResumeToken(new CableCursor(DateTime.UnixEpoch, "08BRUSSELS1390"), 42).Encode(s_key);

        Assert.False(RevisionPageToken.TryDecode(resume, s_key, out _));
        Assert.False(ResumeToken.TryDecode(new RevisionPageToken("08BRUSSELS1390", 7).Encode(s_key), s_key, out _));
    }
}
