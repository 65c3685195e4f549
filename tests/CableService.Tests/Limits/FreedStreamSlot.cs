namespace CableService.Tests.Limits;

/// <summary>A call made once a closed stream's slot is free again.</summary>
internal static class FreedStreamSlot
{
    /// <summary>
    /// Runs <paramref name="call"/>, again while it is refused for the caller's stream limit: the service counts a stream
    /// closed as its handler returns, just after the client saw the stream end.
    /// </summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }
}
