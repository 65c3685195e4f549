namespace Cables.Cli.Ingestion;

/// <summary>Running totals of a session; written by the session, read by the progress display from another thread.</summary>
public sealed class IngestCounters
{
    private long _sent;
    private long _created;
    private long _unchanged;
    private long _revised;
    private long _rejected;
    private long _skipped;
    private long _bytesAcknowledged;
    private long _reconnects;
    private long _inFlight;
    private long _quarantined;

    /// <summary>Requests written to the stream, resends included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public long Created => Interlocked.Read(ref _created);

    public long Unchanged => Interlocked.Read(ref _unchanged);

    public long Revised => Interlocked.Read(ref _revised);

    /// <summary>Rejected by the service, or here before sending (unreadable input, too large).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Items a resume state file says an earlier run had acknowledged.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Raw text bytes of acknowledged items.</summary>
    public long BytesAcknowledged => Interlocked.Read(ref _bytesAcknowledged);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Rejected here because the service failed the stream on them, alone, too often (counted in <see cref="Rejected"/> too).</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Sent and not yet acknowledged.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Items with a final outcome in this run.</summary>
    public long Acknowledged => Created + Unchanged + Revised + Rejected;

    internal void AddSent() => Interlocked.Increment(ref _sent);

    internal void AddSkipped() => Interlocked.Increment(ref _skipped);

    internal void AddReconnect() => Interlocked.Increment(ref _reconnects);

    internal void AddQuarantined() => Interlocked.Increment(ref _quarantined);

    internal void SetInFlight(long count) => Interlocked.Exchange(ref _inFlight, count);

    internal void AddOutcome(V1.IngestOutcome outcome, long bytes)
    {
        Interlocked.Add(ref _bytesAcknowledged, bytes);
        switch (outcome)
        {
            case V1.IngestOutcome.Created:
                Interlocked.Increment(ref _created);
                break;
            case V1.IngestOutcome.Unchanged:
                Interlocked.Increment(ref _unchanged);
                break;
            case V1.IngestOutcome.Revised:
                Interlocked.Increment(ref _revised);
                break;
            default:
                Interlocked.Increment(ref _rejected);
                break;
        }
    }
}
