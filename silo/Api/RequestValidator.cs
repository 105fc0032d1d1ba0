using System.Collections.Immutable;
using SageServe.Grains.Domain;
using SageServe.Silo.Hosting;

namespace SageServe.Silo.Api;

/// <summary>Checks API inputs against the topology; every error names its JSON field.</summary>
public sealed class RequestValidator(LiveControlPlane plane)
{
    /// <summary>Largest prompt or output accepted.</summary>
    public const int MaxTokens = 1_000_000;

    /// <summary>A validated request, or the field and problem.</summary>
    public readonly record struct Checked<T>(T? Value, string? Field, string? Problem)
    {
        /// <summary>Whether valid.</summary>
        public bool Ok => Field is null;
    }

    /// <summary>Validates the shared fields of route and NIW requests.</summary>
    public Checked<(ModelId Model, ImmutableArray<RegionId> Preference, int Prompt, int Output)> Common(
        string? model, string? homeRegion, string[]? regionPreference, int? promptTokens, int? outputTokens)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return new(default, "model", "is required");
        }

        if (!plane.HasModel(model))
        {
            return new(default, "model", $"unknown model '{Trim(model)}'; known: {string.Join(", ", DefaultTopology.Models)}");
        }

        if (string.IsNullOrWhiteSpace(homeRegion))
        {
            return new(default, "homeRegion", "is required");
        }

        if (!plane.HasRegion(homeRegion))
        {
            return new(default, "homeRegion", $"unknown region '{Trim(homeRegion)}'; known: {string.Join(", ", plane.Topology.Regions)}");
        }

        var preference = ImmutableArray.CreateBuilder<RegionId>();
        preference.Add(new RegionId(homeRegion));
        if (regionPreference is { } extra)
        {
            if (extra.Length > 16)
            {
                return new(default, "regionPreference", "lists more than 16 regions");
            }

            for (var i = 0; i < extra.Length; i++)
            {
                if (extra[i] is not { } r || !plane.HasRegion(r))
                {
                    return new(default, $"regionPreference[{i}]", $"unknown region '{Trim(extra[i])}'");
                }

                if (r != homeRegion && !preference.Contains(new RegionId(r)))
                {
                    preference.Add(new RegionId(r));
                }
            }
        }

        if (promptTokens is not { } prompt || prompt is < 1 or > MaxTokens)
        {
            return new(default, "promptTokens", $"must be 1..{MaxTokens:N0} (got {promptTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"})");
        }

        if (outputTokens is not { } output || output is < 1 or > MaxTokens)
        {
            return new(default, "expectedOutputTokens", $"must be 1..{MaxTokens:N0} (got {outputTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"})");
        }

        return new((new ModelId(model), preference.ToImmutable(), prompt, output), null, null);
    }

    /// <summary>Parses a tier name.</summary>
    public static Checked<Tier> ParseTier(string? tier) => tier switch
    {
        "interactive" => new(Tier.Interactive, null, null),
        "non-interactive" => new(Tier.NonInteractive, null, null),
        null => new(default, "tier", "is required (interactive or non-interactive)"),
        _ => new(default, "tier", $"must be interactive or non-interactive (got '{Trim(tier)}')"),
    };

    /// <summary>Validates a caller-supplied id (request id, job id, idempotency key).</summary>
    public static string? IdProblem(string? id) =>
        id is null ? null
        : id.Length is 0 or > 128 ? "must be 1..128 characters"
        : id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? null
        : "may contain only letters, digits, '-', '_', '.', ':'";

    private static string Trim(string? s) => s is null ? "null" : s.Length > 40 ? s[..40] + "…" : s;
}
