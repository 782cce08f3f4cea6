using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// AveragePool2D: forward sums each window and scales by 1 / (pool * pool); backward hands every position of a
/// window that share of the window's output gradient (added up where windows overlap).
/// </summary>
internal sealed class AveragePoolEmitter : PoolEmitter
{
    private readonly AveragePoolPlan _pool;

    public AveragePoolEmitter(AveragePoolPlan pool) : base(pool) => _pool = pool;

    public override string Describe() =>
        $"AveragePool2D #{_pool.Position}: {_pool.Input} -> {_pool.Output}, {_pool.PoolSize}x{_pool.PoolSize} window, stride {_pool.Stride}";

    /// <summary>1 / (pool * pool) as a float literal; a multiply, like PyTorch's and Keras's kernels, not a divide.</summary>
    private string Scale => (1.0f / (_pool.PoolSize * _pool.PoolSize)).ToString("R", CultureInfo.InvariantCulture) + "f";

    public override void EmitMethods(SourceWriter w)
    {
        EmitDispatched(w, "Forward", "ref float input, ref float output", "ref input, ref output",
            "Forward pass of one sample: the mean of each window and channel.",
            EmitForwardVector, EmitForwardScalar);
        EmitDispatched(w, "Backward", "ref float outputGradient, ref float inputGradient", "ref outputGradient, ref inputGradient",
            "Writes d(loss)/d(input): each window position receives its window's output gradient / (pool * pool).",
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
                var positions = WindowPositions().ToArray();
                w.Line($"var sum = {s.Load("window", Code.Sum(Code.Int(positions[0].Offset), c))};");
                foreach (var (position, offset) in positions.Skip(1))
                    w.Line($"sum += {s.Load("window", Code.Sum(Code.Int(offset), c))}; // {WindowCell(position)}");
                w.Line(s.Store($"sum * {Scale}", "output", Code.Sum("pixel", c)));
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
            w.Line("float sum = 0f;");
            using (w.Block($"for (int ky = 0; ky < {n}PoolSize; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {n}PoolSize; kx++)"))
                w.Line($"sum += {Types.Unsafe}.Add(ref input, ((py * {n}Stride + ky) * {n}InWidth + px * {n}Stride + kx) * {n}Channels + c);");
            w.Line($"{Types.Unsafe}.Add(ref output, (py * {n}OutWidth + px) * {n}Channels + c) = sum * {Scale};");
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
                w.Line($"var share = {s.Load("outputGradient", Code.Sum("pixel", c))} * {Scale};");
                foreach (var (position, offset) in WindowPositions())
                {
                    string target = Code.Sum(Code.Int(offset), c);
                    w.Line((IsTiling ? s.Store("share", "windowGradient", target) : s.AddTo("share", "windowGradient", target)) + $" // {WindowCell(position)}");
                }
            });
        }
    }

    private void EmitBackwardScalar(SourceWriter w)
    {
        string n = Name;
        EmitClearUncovered(w);
        string assign = IsTiling ? "=" : "+=";
        using (w.Block($"for (int py = 0; py < {n}OutHeight; py++)"))
        using (w.Block($"for (int px = 0; px < {n}OutWidth; px++)"))
        using (w.Block($"for (int c = 0; c < {n}Channels; c++)"))
        {
            w.Line($"float share = {Types.Unsafe}.Add(ref outputGradient, (py * {n}OutWidth + px) * {n}Channels + c) * {Scale};");
            using (w.Block($"for (int ky = 0; ky < {n}PoolSize; ky++)"))
            using (w.Block($"for (int kx = 0; kx < {n}PoolSize; kx++)"))
                w.Line($"{Types.Unsafe}.Add(ref inputGradient, ((py * {n}Stride + ky) * {n}InWidth + px * {n}Stride + kx) * {n}Channels + c) {assign} share;");
        }
    }
}
