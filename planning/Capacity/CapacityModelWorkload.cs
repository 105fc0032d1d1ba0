namespace SageServe.Planning.Capacity;

/// <summary>
/// The request-size mix a <see cref="CapacityModel"/> sizes for: a small weighted distribution of
/// (prompt tokens, output tokens) shapes. Use <see cref="FromMeans"/> for a single mean shape.
/// </summary>
public sealed record CapacityModelWorkload
{
    /// <summary>Creates a workload from weighted shapes.</summary>
    /// <exception cref="ArgumentException">No shapes, a non-positive weight, or a shape with no prompt or no output tokens.</exception>
    public CapacityModelWorkload(IReadOnlyList<RequestShape> shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        if (shapes.Count == 0)
        {
            throw new ArgumentException("a workload needs at least one request shape", nameof(shapes));
        }

        for (var k = 0; k < shapes.Count; k++)
        {
            var s = shapes[k];
            if (s.PromptTokens < 1 || s.OutputTokens < 1 || !(s.Weight > 0.0) || double.IsInfinity(s.Weight))
            {
                throw new ArgumentException(
                    $"request shape {k}: need promptTokens >= 1, outputTokens >= 1 and a finite weight > 0, got {s}", nameof(shapes));
            }
        }

        Shapes = [.. shapes];
        var total = Shapes.Sum(s => s.Weight);
        MeanPromptTokens = Shapes.Sum(s => s.Weight * s.PromptTokens) / total;
        MeanOutputTokens = Shapes.Sum(s => s.Weight * s.OutputTokens) / total;
    }

    /// <summary>The shapes, as given.</summary>
    public IReadOnlyList<RequestShape> Shapes { get; }

    /// <summary>Weighted mean prompt tokens per request.</summary>
    public double MeanPromptTokens { get; }

    /// <summary>Weighted mean output tokens per request.</summary>
    public double MeanOutputTokens { get; }

    /// <summary>Shares of each shape (weights normalised to sum to 1), in order.</summary>
    public IEnumerable<double> Probabilities
    {
        get
        {
            var total = Shapes.Sum(s => s.Weight);
            return Shapes.Select(s => s.Weight / total);
        }
    }

    /// <summary>A workload where every request has the given mean sizes.</summary>
    /// <exception cref="ArgumentException">A size is below 1.</exception>
    public static CapacityModelWorkload FromMeans(int promptTokens, int outputTokens) => new([new RequestShape(promptTokens, outputTokens, 1.0)]);

    /// <summary>One request size and its relative frequency.</summary>
    /// <param name="PromptTokens">Prompt tokens.</param>
    /// <param name="OutputTokens">Output tokens.</param>
    /// <param name="Weight">Relative frequency (any positive scale).</param>
    public sealed record RequestShape(int PromptTokens, int OutputTokens, double Weight);
}
