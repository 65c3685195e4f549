namespace CableService.Tests.Functional;

/// <summary>Assertions on the status a call failed with.</summary>
internal static class RpcAssert
{
    /// <summary>INVALID_ARGUMENT, with a BadRequest naming <paramref name="field"/> and the INVALID_ARGUMENT reason.</summary>
    public static void Violation(RpcException error, string field)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Contains(status.GetDetail<BadRequest>().FieldViolations, v => v.Field == field);
        Assert.Equal("INVALID_ARGUMENT", status.GetDetail<ErrorInfo>().Reason);
    }

    /// <summary>INVALID_ARGUMENT, with a BadRequest of one violation, on <paramref name="field"/>.</summary>
    public static void SingleViolation(RpcException error, string field)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
    }
}
