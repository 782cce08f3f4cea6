using System.Collections.Generic;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// MaxPool2D: forward keeps, per output value, the window position of its maximum (first one on ties, as
/// PyTorch); backward routes each output gradient to that position. With windows that tile the input,
/// backward writes every input gradient exactly once, so it needs no clearing and no scatter; overlapping
/// windows (pool 3, stride 2) add their gradients instead.
/// </summary>
internal sealed class MaxPoolEmitter : PoolEmitter
{
    private readonly MaxPoolPlan _pool;

    public MaxPoolEmitter(MaxPoolPlan pool) : base(pool) => _pool = pool;

    public override string Describe() =>
        $"MaxPool2D #{_pool.Position}: {_pool.Input} -> {_pool.Output}, {_pool.PoolSize}x{_pool.PoolSize} window, stride {_pool.Stride}";

    /// <summary>The conv that computes this pool's forward pass in its own kernel (see ConvEmitter.Pooled), or null.</summary>
    public string? ForwardFusedInto { get; init; }

    public override void EmitMethods(SourceWriter w)
    {
        if (ForwardFusedInto is not null)
        {
            w.Line($"// Forward: {ForwardFusedInto}ForwardPooled takes each window's maximum as it computes the conv pixels.");
            w.Line();
        }
        else
        {
            EmitDispatched(w, "Forward", "ref float input, ref float output, ref int argMax", "ref input, ref output, ref argMax",
                "Forward pass of one sample: the maximum of each window and channel, and the window position it came from.",
                EmitForwardVector, EmitForwardScalar);
        }
        EmitDispatched(w, "Backward", "ref float outputGradient, ref int argMax, ref float inputGradient", "ref outputGradient, ref argMax, ref inputGradient",
            "Writes d(loss)/d(input): each output gradient goes to the position of its window's maximum, zero elsewhere.",
            EmitBackwardVector, EmitBackwardScalar);
    }

    private void EmitForwardVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        using (w.Block($"for (int py = 0; py < {n}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {n}OutWidth; px++)"))
        {
            w.Line($"ref float window = ref {Types.Unsafe}.Add(ref input, (py * {n}Stride * {n}InWidth + px * {n}Stride) * {n}Channels);");
            w.Line($"int pixel = (py * {n}OutWidth + px) * {n}Channels;");
            ForEachChannelSegment(w, path, (s, c) =>
            {
                var candidates = new List<(int, string, string)>();
                foreach (var (position, offset) in WindowPositions())
                    candidates.Add((position, s.Load("window", Code.Sum(Code.Int(offset), c)), WindowCell(position)));
                ArgMaxSelection.Emit(w, s, candidates);
                ArgMaxSelection.Store(w, s, Code.Sum("pixel", c), value => value);
            });
        }
    }

    private void EmitForwardScalar(SourceWriter w)
    {
        string n = Name;
        using (w.Block($"for (int py = 0; py < {n}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {n}OutWidth; px++)"))
        using (w.Block($"for (int c = 0; c < {n}Channels; c++)"))
        {
            w.Line("float best = float.NegativeInfinity;");
            w.Line("int bestAt = 0;");
            using (w.Block($"for (int ky = 0; ky < {n}PoolSize; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {n}PoolSize; kx++)"))
            {
                w.Line($"float v = {Types.Unsafe}.Add(ref input, ((py * {n}Stride + ky) * {n}InWidth + px * {n}Stride + kx) * {n}Channels + c);");
                w.Line($"if (v > best || (ky == 0 && kx == 0)) {{ best = v; bestAt = ky * {n}PoolSize + kx; }}");
            }
            w.Line($"{Types.Unsafe}.Add(ref output, (py * {n}OutWidth + px) * {n}Channels + c) = best;");
            w.Line($"{Types.Unsafe}.Add(ref argMax, (py * {n}OutWidth + px) * {n}Channels + c) = bestAt;");
        }
    }

    private void EmitBackwardVector(SourceWriter w, SimdPath path)
    {
        string n = Name;
        EmitClearUncovered(w);
        using (w.Block($"for (int py = 0; py < {n}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {n}OutWidth; px++)"))
        {
            w.Line($"ref float windowGradient = ref {Types.Unsafe}.Add(ref inputGradient, (py * {n}Stride * {n}InWidth + px * {n}Stride) * {n}Channels);");
            w.Line($"int pixel = (py * {n}OutWidth + px) * {n}Channels;");
            ForEachChannelSegment(w, path, (s, c) =>
            {
                w.Line($"var d = {s.Load("outputGradient", Code.Sum("pixel", c))};");
                string intType = s.IsScalar ? "int" : s.Class + "<int>";
                string at = s.IsScalar ? $"{Types.Unsafe}.Add(ref argMax, {Code.Sum("pixel", c)})" : $"{s.Class}.LoadUnsafe(ref argMax, {Code.Native(Code.Sum("pixel", c))})";
                w.Line($"var at = {at};");
                foreach (var (position, offset) in WindowPositions())
                {
                    string value = s.IsScalar
                        ? $"at == {position} ? d : 0f"
                        : $"{s.Class}.ConditionalSelect({s.Class}.AsSingle({s.Class}.Equals(at, {s.Class}.Create({position}))), d, {s.Zero})";
                    string target = Code.Sum(Code.Int(offset), c);
                    // Overlapping windows share input positions: their gradients add up.
                    w.Line((IsTiling ? s.Store(value, "windowGradient", target) : s.AddTo(value, "windowGradient", target)) + $" // {WindowCell(position)}");
                }
            });
        }
    }

    private void EmitBackwardScalar(SourceWriter w)
    {
        string n = Name;
        EmitClearUncovered(w);
        using (w.Block($"for (int py = 0; py < {n}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {n}OutWidth; px++)"))
        using (w.Block($"for (int c = 0; c < {n}Channels; c++)"))
        {
            w.Line($"int pixel = (py * {n}OutWidth + px) * {n}Channels + c;");
            w.Line($"float d = {Types.Unsafe}.Add(ref outputGradient, pixel);");
            w.Line($"int at = {Types.Unsafe}.Add(ref argMax, pixel);");
            using (w.Block($"for (int ky = 0; ky < {n}PoolSize; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {n}PoolSize; kx++)"))
            {
                string assign = IsTiling ? "=" : "+=";
                w.Line($"{Types.Unsafe}.Add(ref inputGradient, ((py * {n}Stride + ky) * {n}InWidth + px * {n}Stride + kx) * {n}Channels + c) {assign} at == ky * {n}PoolSize + kx ? d : 0f;");
            }
        }
    }
}
