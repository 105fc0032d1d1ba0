using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace SageServe.Silo.Api;

/// <summary>Reading JSON bodies (size-limited, malformed → 400) and writing JSON answers and problem details.</summary>
public static class HttpIo
{
    /// <summary>Reads the body as <typeparamref name="T"/>, or writes the problem (400/413/415) and returns null.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (context.Request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await ProblemAsync(context, 415, "Unsupported media type", $"send application/json (got {contentType})", null);
            return null;
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            if (value is null)
            {
                await ProblemAsync(context, 400, "Malformed JSON", "the body must be a JSON object", null);
            }

            return value;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ProblemAsync(context, 413, "Request body too large", e.Message, null);
            return null;
        }
        catch (JsonException e)
        {
            await ProblemAsync(context, 400, "Malformed JSON", e.Message, e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : null);
            return null;
        }
    }

    /// <summary>Writes <paramref name="value"/> as JSON with <paramref name="status"/>.</summary>
    public static Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    /// <summary>Writes an RFC 7807 problem (application/problem+json) naming <paramref name="field"/>.</summary>
    public static Task ProblemAsync(HttpContext context, int status, string title, string? detail, string? field)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var problem = new ProblemDto("about:blank", title, status, detail, field, context.Request.Path);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, problem, ApiJsonContext.Default.ProblemDto, context.RequestAborted);
    }
}
