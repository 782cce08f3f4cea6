using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Diagnostics;
using CompiledNets.Generator.Model;

namespace CompiledNets.Generator.Planning;

/// <summary>
/// Plan stage: shape inference over a <see cref="NetworkSpec"/>. Pure: no Roslyn types, so it is unit-tested
/// directly. Every problem becomes a <see cref="PlanDiagnostic"/> naming the layer, the shapes and the fix.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>Largest buffer or parameter array a generated network may allocate (floats).</summary>
    internal const long MaxElements = 0x7FFFFFC7; // Array.MaxLength

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        // An attribute that does not bind is the compiler's error to report. Planning the layers around the hole
        // would generate a different network (or report problems that are not there): plan nothing, so the
        // emitter writes the throwing members until the attribute binds.
        if (spec.HasUnboundAttributes)
        {
            return new NetworkPlan(spec.Namespace, spec.ClassName, spec.ContainingTypes, Shape.Flat(1),
                EquatableArray<LayerPlan>.Empty, Loss: null, spec.Problems, spec.CanEmit);
        }

        var context = new PlanContext(spec);
        Shape? shape = context.ReadInput();
        var layers = ImmutableArray.CreateBuilder<LayerPlan>();
        var trainable = spec.Layers.Where(l => l.Kind is not (LayerKind.Input or LayerKind.Loss)).ToArray();

        if (shape is not null && trainable.Length == 0)
            context.Report(DiagnosticDescriptors.NoLayers, PlanDiagnostic.ClassLevel, spec.ClassName);

        long parameterOffset = 0;
        for (int position = 0; position < trainable.Length && shape is { } input; position++)
        {
            LayerSpec layer = trainable[position];
            bool isLast = position == trainable.Length - 1;
            LayerPlan? plan = layer.Kind switch
            {
                LayerKind.Conv2D => context.PlanConv(layer, position, input, isLast, ref parameterOffset),
                LayerKind.MaxPool2D => context.PlanPool(layer, position, input),
                LayerKind.AveragePool2D => context.PlanPool(layer, position, input),
                LayerKind.Dropout => context.PlanDropout(layer, position, input),
                LayerKind.Flatten => context.PlanFlatten(layer, position, input),
                LayerKind.Dense => context.PlanDense(layer, position, input, isLast, ref parameterOffset),
                _ => context.NotSupported(layer, position, input),
            };
            if (plan is null)
            {
                shape = null;
                break;
            }
            if (plan.Output.LongSize > MaxElements)
            {
                context.Report(DiagnosticDescriptors.TooLarge, layer.AttributeIndex, LayerLabel(layer, position), "its output " + plan.Output, Num(plan.Output.LongSize), Num(MaxElements));
                shape = null;
                break;
            }
            layers.Add(plan);
            shape = plan.Output;
        }

        context.ReportLayerNameClashes(layers);

        LossFunction? loss = context.ReadLoss(
            layers.Count == trainable.Length && layers.Count > 0 ? layers[layers.Count - 1] : null,
            layers.Any(l => l is ParametricLayerPlan));

        return new NetworkPlan(
            spec.Namespace, spec.ClassName, spec.ContainingTypes,
            context.InputShape ?? Shape.Flat(1),
            layers.ToImmutable().ToEquatableArray(),
            loss,
            spec.Problems.Concat(context.Diagnostics).ToEquatableArray(),
            spec.CanEmit);
    }

    /// <summary>"Conv2D #1" style label: the attribute kind and the layer's position among the layers.</summary>
    internal static string LayerLabel(LayerSpec layer, int position) => $"{KindName(layer.Kind)} #{position}";

    internal static string KindName(LayerKind kind) => kind.ToString();

    internal static string Num(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Accumulates diagnostics while the layers are planned in order.</summary>
    private sealed class PlanContext
    {
        private readonly NetworkSpec _spec;
        private readonly ImmutableArray<PlanDiagnostic>.Builder _diagnostics = ImmutableArray.CreateBuilder<PlanDiagnostic>();

        public PlanContext(NetworkSpec spec) => _spec = spec;

        public ImmutableArray<PlanDiagnostic> Diagnostics => _diagnostics.ToImmutable();

        public Shape? InputShape { get; private set; }

        public void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int attributeIndex, params string[] arguments) =>
            _diagnostics.Add(new PlanDiagnostic(descriptor.Id, attributeIndex, arguments.ToEquatableArray()));

        public Shape? ReadInput()
        {
            var inputs = _spec.Layers.Where(l => l.Kind == LayerKind.Input).ToArray();
            if (inputs.Length == 0)
            {
                Report(DiagnosticDescriptors.MissingInput, PlanDiagnostic.ClassLevel, _spec.ClassName);
                return null;
            }
            foreach (var extra in inputs.Skip(1))
                Report(DiagnosticDescriptors.DuplicateInput, extra.AttributeIndex, _spec.ClassName);

            LayerSpec input = inputs[0];
            var before = _spec.Layers.TakeWhile(l => l != input).FirstOrDefault(l => l.Kind != LayerKind.Loss);
            if (before is not null)
                Report(DiagnosticDescriptors.InputAfterLayers, input.AttributeIndex, _spec.ClassName, "[" + KindName(before.Kind) + "]");

            Shape shape;
            if (input.Size != 0 || (input.Height == 0 && input.Width == 0 && input.Channels == 0))
            {
                if (!Positive(input, "Input", ("size", input.Size))) return null;
                shape = Shape.Flat(input.Size);
            }
            else
            {
                if (!Positive(input, "Input", ("height", input.Height), ("width", input.Width), ("channels", input.Channels))) return null;
                shape = Shape.Image(input.Height, input.Width, input.Channels);
            }
            if (shape.LongSize > MaxElements)
            {
                Report(DiagnosticDescriptors.TooLarge, input.AttributeIndex, "Input", "its shape " + shape, Num(shape.LongSize), Num(MaxElements));
                return null;
            }
            InputShape = shape;
            return inputs.Length == 1 && before is null ? shape : null;
        }

        public LayerPlan? PlanConv(LayerSpec layer, int position, Shape input, bool isLast, ref long parameterOffset)
        {
            string label = LayerLabel(layer, position);
            bool ok = Positive(layer, label, ("filters", layer.Filters), ("kernel height", layer.KernelHeight), ("kernel width", layer.KernelWidth), ("stride", layer.Stride));
            ok &= CheckActivation(layer, label, isLast);
            if (!NeedsImage(layer, label, input)) return null;
            if (!ok) return null;
            Shape output;
            ConvPadding pad;
            if (layer.Padding == Padding.Same)
            {
                // Keras's rule: output ceil(input / stride); the kernel always fits the padded input.
                var (top, bottom, height) = ConvPadding.Same(input.Height, layer.KernelHeight, layer.Stride);
                var (left, right, width) = ConvPadding.Same(input.Width, layer.KernelWidth, layer.Stride);
                pad = new ConvPadding(top, bottom, left, right);
                output = Shape.Image(height, width, layer.Filters);
                long padded = (long)(input.Height + top + bottom) * (input.Width + left + right) * input.Channels;
                if (padded > MaxElements)
                {
                    Report(DiagnosticDescriptors.TooLarge, layer.AttributeIndex, label, "its padded input", Num(padded), Num(MaxElements));
                    return null;
                }
            }
            else
            {
                if (layer.KernelHeight > input.Height || layer.KernelWidth > input.Width)
                {
                    Report(DiagnosticDescriptors.WindowLargerThanInput, layer.AttributeIndex, label, "kernel", $"{layer.KernelHeight}x{layer.KernelWidth}", input.ToString());
                    return null;
                }
                pad = ConvPadding.None;
                output = Shape.Image(
                    (input.Height - layer.KernelHeight) / layer.Stride + 1,
                    (input.Width - layer.KernelWidth) / layer.Stride + 1,
                    layer.Filters);
            }
            long kernel = (long)layer.KernelHeight * layer.KernelWidth * input.Channels * layer.Filters;
            if (!ReserveParameters(layer, label, kernel + layer.Filters, ref parameterOffset, out int kernelOffset)) return null;
            return new ConvPlan(position, layer.AttributeIndex, input, output, layer.Activation,
                kernelOffset, kernelOffset + (int)kernel, layer.KernelHeight, layer.KernelWidth, layer.Stride, pad);
        }

        public LayerPlan? PlanPool(LayerSpec layer, int position, Shape input)
        {
            string label = LayerLabel(layer, position);
            // The stride defaults to the pool size: a bad pool size is one problem, not two.
            if (!Positive(layer, label, ("pool size", layer.PoolSize))) return null;
            if (!Positive(layer, label, ("stride", layer.Stride))) return null;
            if (!NeedsImage(layer, label, input)) return null;
            if (layer.PoolSize > input.Height || layer.PoolSize > input.Width)
            {
                Report(DiagnosticDescriptors.WindowLargerThanInput, layer.AttributeIndex, label, "pool", $"{layer.PoolSize}x{layer.PoolSize}", input.ToString());
                return null;
            }
            var output = Shape.Image(
                (input.Height - layer.PoolSize) / layer.Stride + 1,
                (input.Width - layer.PoolSize) / layer.Stride + 1,
                input.Channels);
            return layer.Kind == LayerKind.AveragePool2D
                ? new AveragePoolPlan(position, layer.AttributeIndex, input, output, layer.PoolSize, layer.Stride)
                : new MaxPoolPlan(position, layer.AttributeIndex, input, output, layer.PoolSize, layer.Stride);
        }

        public LayerPlan? PlanDropout(LayerSpec layer, int position, Shape input)
        {
            // NaN fails both comparisons, so it is reported too.
            if (!(layer.Rate >= 0 && layer.Rate < 1))
            {
                Report(DiagnosticDescriptors.DropoutRate, layer.AttributeIndex, LayerLabel(layer, position), layer.Rate.ToString("R", CultureInfo.InvariantCulture));
                return null;
            }
            return new DropoutPlan(position, layer.AttributeIndex, input, layer.Rate);
        }

        public LayerPlan? PlanFlatten(LayerSpec layer, int position, Shape input)
        {
            if (!NeedsImage(layer, LayerLabel(layer, position), input)) return null;
            return new FlattenPlan(position, layer.AttributeIndex, input, Shape.Flat(input.Size));
        }

        public LayerPlan? PlanDense(LayerSpec layer, int position, Shape input, bool isLast, ref long parameterOffset)
        {
            string label = LayerLabel(layer, position);
            bool ok = Positive(layer, label, ("units", layer.Units));
            ok &= CheckActivation(layer, label, isLast);
            if (!input.IsFlat)
            {
                Report(DiagnosticDescriptors.DenseNeedsFlatInput, layer.AttributeIndex, label, input.ToString());
                return null;
            }
            if (!ok) return null;
            long kernel = (long)input.Size * layer.Units;
            if (!ReserveParameters(layer, label, kernel + layer.Units, ref parameterOffset, out int kernelOffset)) return null;
            return new DensePlan(position, layer.AttributeIndex, input, Shape.Flat(layer.Units), layer.Activation,
                kernelOffset, kernelOffset + (int)kernel);
        }

        /// <summary>A layer kind this generator version does not know (a newer runtime's attribute).</summary>
        public LayerPlan? NotSupported(LayerSpec layer, int position, Shape input)
        {
            Report(DiagnosticDescriptors.NotSupportedYet, layer.AttributeIndex, LayerLabel(layer, position), "[" + KindName(layer.Kind) + "]", "remove it or update the CompiledNets package");
            return null;
        }

        /// <summary>
        /// The class, or one of its own members, named like a planned layer's generated members ("Conv0Forward"):
        /// CN0024 or CN0023. The throwing stubs have no layer members, so they are still generated.
        /// </summary>
        public void ReportLayerNameClashes(ImmutableArray<LayerPlan>.Builder layers)
        {
            foreach (LayerPlan layer in layers)
            {
                if (GeneratedMembers.IsLayerMember(_spec.ClassName, layer.Name))
                    Report(DiagnosticDescriptors.ClassNamedLikeMember, PlanDiagnostic.ClassLevel, _spec.ClassName);
                foreach (string member in _spec.LayerLikeMemberNames)
                {
                    if (GeneratedMembers.IsLayerMember(member, layer.Name))
                        Report(DiagnosticDescriptors.MemberNamedLikeGenerated, PlanDiagnostic.ClassLevel, _spec.ClassName, $"declares '{member}'", $"names that begin with a layer's name ('{layer.Name}') belong to the layer; rename it");
                }
            }
        }

        public LossFunction? ReadLoss(LayerPlan? last, bool hasParameters)
        {
            var losses = _spec.Layers.Where(l => l.Kind == LayerKind.Loss).ToArray();
            if (losses.Length == 0) return null;
            foreach (var extra in losses.Skip(1))
                Report(DiagnosticDescriptors.DuplicateLoss, extra.AttributeIndex, _spec.ClassName);
            LayerSpec loss = losses[0];
            Activation? required = loss.LossFunction switch
            {
                LossFunction.CategoricalCrossEntropy => Activation.Softmax,
                LossFunction.BinaryCrossEntropy => Activation.Sigmoid,
                LossFunction.MeanSquaredError => null,
                _ => Activation.None,
            };
            if (!System.Enum.IsDefined(typeof(LossFunction), loss.LossFunction))
            {
                Report(DiagnosticDescriptors.NotSupportedYet, loss.AttributeIndex, "[Loss]", "LossFunction value " + (int)loss.LossFunction, "use CategoricalCrossEntropy, BinaryCrossEntropy or MeanSquaredError");
                return loss.LossFunction;
            }
            if (last is null) return loss.LossFunction;
            var activation = (last as ParametricLayerPlan)?.Activation ?? Activation.None;
            if (required is { } needed && activation != needed)
            {
                // Named by its attribute ("MaxPool2D #1"), like every other diagnostic, not by its Keras type ("MaxPooling2D").
                LayerSpec lastLayer = _spec.Layers.First(l => l.AttributeIndex == last.AttributeIndex);
                Report(DiagnosticDescriptors.LossDoesNotFitOutput, loss.AttributeIndex,
                    "LossFunction." + loss.LossFunction, needed.ToString(), LayerLabel(lastLayer, last.Position), activation.ToString());
            }
            else if (!hasParameters)
            {
                // A loss needs something to train; the fix is the same as for a network without layers.
                Report(DiagnosticDescriptors.NoLayers, PlanDiagnostic.ClassLevel, _spec.ClassName);
            }
            return loss.LossFunction;
        }

        private bool CheckActivation(LayerSpec layer, string label, bool isLast)
        {
            switch (layer.Activation)
            {
                case Activation.None:
                case Activation.ReLU:
                case Activation.LeakyReLU:
                case Activation.Sigmoid:
                case Activation.Tanh:
                    return true;
                case Activation.Softmax when isLast && layer.Kind == LayerKind.Dense:
                    return true;
                case Activation.Softmax when !isLast:
                    Report(DiagnosticDescriptors.SoftmaxNotLast, layer.AttributeIndex, label);
                    return false;
                case Activation.Softmax:
                    Report(DiagnosticDescriptors.NotSupportedYet, layer.AttributeIndex, label, "Activation.Softmax on a Conv2D",
                        "add [Flatten] and a [Dense(units, Activation = Activation.Softmax)] output layer");
                    return false;
                default:
                    Report(DiagnosticDescriptors.NotSupportedYet, layer.AttributeIndex, label, "Activation value " + (int)layer.Activation,
                        "use None, ReLU, LeakyReLU, Sigmoid, Tanh or Softmax");
                    return false;
            }
        }

        private bool NeedsImage(LayerSpec layer, string label, Shape input)
        {
            if (!input.IsFlat) return true;
            Report(DiagnosticDescriptors.NeedsImageInput, layer.AttributeIndex, label, input.ToString());
            return false;
        }

        private bool Positive(LayerSpec layer, string label, params (string Name, int Value)[] arguments)
        {
            bool ok = true;
            foreach (var (name, value) in arguments)
            {
                if (value >= 1) continue;
                Report(DiagnosticDescriptors.NonPositiveArgument, layer.AttributeIndex, label, name, value.ToString(CultureInfo.InvariantCulture));
                ok = false;
            }
            return ok;
        }

        private bool ReserveParameters(LayerSpec layer, string label, long count, ref long parameterOffset, out int offset)
        {
            offset = (int)parameterOffset;
            if (parameterOffset + count > MaxElements)
            {
                Report(DiagnosticDescriptors.TooLarge, layer.AttributeIndex, label, "the network's parameters", Num(parameterOffset + count), Num(MaxElements));
                return false;
            }
            parameterOffset += count;
            return true;
        }
    }
}
