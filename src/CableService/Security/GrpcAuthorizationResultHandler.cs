using System.Globalization;
using CableService.Errors;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace CableService.Security;

/// <summary>
/// Answers a gRPC call that authorization refused as gRPC does: HTTP 200 with a trailers-only status, UNAUTHENTICATED
/// (no, a bad or an expired token) or PERMISSION_DENIED (a scope missing), each with an <c>ErrorInfo</c>, where
/// ASP.NET Core would answer HTTP 401 or 403, which a gRPC client sees without a status or details. Other requests
/// get ASP.NET Core's answer.
/// </summary>
public sealed class GrpcAuthorizationResultHandler(AuthAudit audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var status = authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true
            ? PermissionDenied(authorizeResult.AuthorizationFailure)
            : Unauthenticated(await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme));
        audit.Denied(context, status);
        await WriteAsync(context.Response, status);
    }

    /// <summary>A trailers-only gRPC response: the status in the headers, no message.</summary>
    internal static Task WriteAsync(Microsoft.AspNetCore.Http.HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        return response.CompleteAsync();
    }

    private static Google.Rpc.Status Unauthenticated(AuthenticateResult? result)
    {
        var (reason, message) = result?.Failure switch
        {
            null => ("CREDENTIALS_MISSING", "the call carries no bearer token; send 'authorization: Bearer <token>'"),
            SecurityTokenExpiredException => ("ACCESS_TOKEN_EXPIRED", "the bearer token has expired"),
            SecurityTokenInvalidAudienceException => ("ACCESS_TOKEN_INVALID", "the bearer token is not for this service (audience)"),
            SecurityTokenInvalidIssuerException => ("ACCESS_TOKEN_INVALID", "the bearer token's issuer is not trusted"),
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => ("ACCESS_TOKEN_INVALID", "the bearer token's signature is not valid"),
            _ => ("ACCESS_TOKEN_INVALID", "the bearer token is not valid"),
        };
        return Status(Code.Unauthenticated, message, reason);
    }

    private static Google.Rpc.Status PermissionDenied(AuthorizationFailure? failure)
    {
        var scopes = failure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray() ?? [];
        return scopes.Length > 0
            ? Status(Code.PermissionDenied, $"the bearer token lacks the scope {string.Join(" ", scopes)}", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", ("required_scope", string.Join(" ", scopes)))
            : Status(Code.PermissionDenied, "the caller may not make this call", "PERMISSION_DENIED");
    }

    private static Google.Rpc.Status Status(Code code, string message, string reason, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = RpcErrors.Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        return new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
    }
}
