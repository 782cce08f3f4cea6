namespace CompiledNets.Generator.Model;

/// <summary>A type the network class is nested in, so the generated partial can reopen it (e.g. "partial class", "Outer").</summary>
internal sealed record ContainingType(string Keyword, string Name);
