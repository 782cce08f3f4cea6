namespace CompiledNets.Generator.Emit;

/// <summary>The generator's version, written into <c>[GeneratedCode]</c> (snapshot tests scrub it).</summary>
internal static class GeneratorVersion
{
    public static readonly string Value = typeof(GeneratorVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";
}
