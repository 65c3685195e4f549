namespace CableService.Tests;

/// <summary>
/// Telemetry and shutdown tests count metrics from process-wide meters and stop hosts: they run alone, after the
/// parallel collections, so no other test's measurements land in their counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OperationsTestGroup
{
    public const string Name = "Operations";
}
