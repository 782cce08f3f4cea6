namespace CompiledNets.Generator.Emit;

/// <summary>One generated file: its hint name and text (value-equal, so unchanged text is not re-added).</summary>
internal sealed record GeneratedSource(string HintName, string Text);
