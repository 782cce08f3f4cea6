namespace CompiledNets.Generator;

/// <summary>Names of the generator's pipeline steps, asserted by the incremental caching tests.</summary>
internal static class TrackingNames
{
    public const string Spec = nameof(Spec);
    public const string Plan = nameof(Plan);
    public const string Source = nameof(Source);
}
