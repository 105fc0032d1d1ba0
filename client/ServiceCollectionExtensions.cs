using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SageServe.Client;

/// <summary>Registers <see cref="SageServeClient"/> with dependency injection (over <c>IHttpClientFactory</c>).</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The name of the client's <see cref="HttpClient"/>.</summary>
    public const string HttpClientName = "SageServe";

    /// <summary>Adds a <see cref="SageServeClient"/> configured by <paramref name="configure"/> (validated on first use).</summary>
    public static IServiceCollection AddSageServeClient(this IServiceCollection services, Action<SageServeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SageServeClientOptions>().Configure(configure);
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddTransient(sp => new SageServeClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<SageServeClientOptions>>().Value));
        return services;
    }
}
