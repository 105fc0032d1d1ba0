namespace SageServe.Grains.Domain;

/// <summary>A cloud region (e.g. <c>westus</c>).</summary>
public readonly record struct RegionId(string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A served model (e.g. <c>A</c> = Llama-2-70B in the reference setup).</summary>
public readonly record struct ModelId(string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A GPU VM type (e.g. <c>a100-80gb</c>).</summary>
public readonly record struct SkuId(string Name)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
