using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CompiledNets.Generator.Tests.Fuzz;

namespace CompiledNets.Generator.Tests.Properties;

/// <summary>
/// Draws a valid network from a seed: an image input (4..14 rows and columns, 1..5 channels) with up to three
/// convolutions and poolings, flattened, or a flat input; up to two hidden dense layers; a classifier head and
/// its loss. Every shape is computed here, by Keras's rules and independently of the generator's planner, so
/// each network is valid by construction (the test asserts the analyzer agrees) and the test knows its
/// parameter layout. <see cref="NetworkFeatures"/> says which options the draw may use.
/// </summary>
internal static class RandomNetworks
{
    public static RandomNetwork Create(int seed, NetworkFeatures features) => new Builder(seed, features).Build();

    private sealed class Builder
    {
        private readonly int _seed;
        private readonly NetworkFeatures _features;
        private readonly Random _random;
        private readonly List<string> _attributes = new();
        private readonly List<string> _trace = new();
        private readonly List<ParameterGroup> _parameters = new();
        private TensorShape _input, _shape;
        private bool _hasDropout;

        public Builder(int seed, NetworkFeatures features)
        {
            _seed = seed;
            _features = features;
            _random = new Random(seed);
        }

        private Activation[] HiddenActivations => _features.MoreActivations
            ? new[] { Activation.None, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh }
            : new[] { Activation.None, Activation.ReLU };

        public RandomNetwork Build()
        {
            if (_random.Chance(0.7))
            {
                var input = TensorShape.Image(_random.Next(4, 15), _random.Next(4, 15), _random.Next(1, 6));
                Start(input, $"Input({input.Height}, {input.Width}, {input.Channels})");
                for (int spatial = _random.Next(0, 4); spatial > 0; spatial--)
                {
                    if (_random.Chance(0.35) && Math.Min(_shape.Height, _shape.Width) >= 2) AddPool();
                    else AddConv();
                    MaybeDropout();
                }
                Add("Flatten", TensorShape.Flat(_shape.Size), "Flatten");
            }
            else
            {
                int size = _random.Next(1, 41);
                Start(TensorShape.Flat(size), $"Input({size})");
            }

            for (int hidden = _random.Next(0, 3); hidden > 0; hidden--)
            {
                AddDense(_random.Next(1, 41), _random.Pick(HiddenActivations));
                MaybeDropout();
            }
            return AddHeadAndLoss();
        }

        private void Start(TensorShape input, string attribute)
        {
            _input = _shape = input;
            _attributes.Add(attribute);
            _trace.Add(input.ToString());
        }

        private void Add(string attribute, TensorShape output, string description)
        {
            _attributes.Add(attribute);
            _trace.Add($"-{description}-> {output}");
            _shape = output;
        }

        /// <summary>Filters 1..20 (mostly not a multiple of the 8 or 16 floats of a vector), kernels 1..4, strides 1..3.</summary>
        private void AddConv()
        {
            bool same = _features.SamePadding && _random.Chance(0.4);
            // A valid convolution's kernel must fit the image; with Same padding Keras allows any kernel.
            int kernelHeight = _random.Next(1, (same ? 4 : Math.Min(4, _shape.Height)) + 1);
            int kernelWidth = _random.Chance(0.5) && (same || kernelHeight <= _shape.Width)
                ? kernelHeight
                : _random.Next(1, (same ? 4 : Math.Min(4, _shape.Width)) + 1);
            int stride = _random.Chance(0.6) ? 1 : _random.Next(2, 4);
            int filters = _random.Next(1, 21);
            Activation activation = _random.Pick(HiddenActivations);

            var output = same
                ? TensorShape.Image(CeilDiv(_shape.Height, stride), CeilDiv(_shape.Width, stride), filters)
                : TensorShape.Image((_shape.Height - kernelHeight) / stride + 1, (_shape.Width - kernelWidth) / stride + 1, filters);

            var arguments = new List<string> { Text(filters), Text(kernelHeight) };
            if (kernelWidth != kernelHeight || _random.Chance(0.2)) arguments.Add(Text(kernelWidth));
            if (stride != 1 || _random.Chance(0.2)) arguments.Add("Stride = " + Text(stride));
            if (same) arguments.Add("Padding = Padding.Same");
            else if (_random.Chance(0.1)) arguments.Add("Padding = Padding.Valid");
            if (activation != Activation.None || _random.Chance(0.3)) arguments.Add("Activation = Activation." + activation);

            int kernel = kernelHeight * kernelWidth * _shape.Channels * filters;
            AddParameters("Conv2D", kernel, filters);
            Add($"Conv2D({string.Join(", ", arguments)})", output,
                $"Conv2D {kernelHeight}x{kernelWidth} stride {stride}{(same ? " same" : "")}, {filters} filters, {activation}");
        }

        /// <summary>A 2x2 or 3x3 window that fits; its stride the pool size, or (<see cref="NetworkFeatures.PoolStride"/>) 1..3.</summary>
        private void AddPool()
        {
            int pool = _random.Next(2, Math.Min(3, Math.Min(_shape.Height, _shape.Width)) + 1);
            bool explicitStride = _features.PoolStride && _random.Chance(0.5);
            int stride = explicitStride ? _random.Next(1, 4) : pool;
            string kind = _features.AveragePool && _random.Chance(0.4) ? "AveragePool2D" : "MaxPool2D";
            var output = TensorShape.Image((_shape.Height - pool) / stride + 1, (_shape.Width - pool) / stride + 1, _shape.Channels);
            // The default spelled out (Stride = pool size) is the same layer.
            string attribute = explicitStride || _random.Chance(0.1) ? $"{kind}({Text(pool)}, Stride = {Text(stride)})" : $"{kind}({Text(pool)})";
            Add(attribute, output, $"{kind} {pool}x{pool} stride {stride}");
        }

        private void AddDense(int units, Activation activation)
        {
            string attribute = activation != Activation.None || _random.Chance(0.3)
                ? $"Dense({Text(units)}, Activation = Activation.{activation})"
                : $"Dense({Text(units)})";
            AddParameters("Dense", _shape.Size * units, units);
            Add(attribute, TensorShape.Flat(units), $"Dense {units}, {activation}");
        }

        private void MaybeDropout()
        {
            if (!_features.Dropout || !_random.Chance(0.07)) return; // rare: a network with dropout skips the gradient checks
            double rate = _random.Next(0, 10) / 20.0; // 0 to 0.45: a rate of 0 is allowed, and a no-op
            _hasDropout = true;
            string text = rate.ToString("0.0#", CultureInfo.InvariantCulture);
            Add($"Dropout({text})", _shape, "Dropout " + text);
        }

        /// <summary>
        /// Softmax over 2..10 classes with categorical cross-entropy; with <see cref="NetworkFeatures.OtherLosses"/>
        /// also 1..10 sigmoid units with binary cross-entropy (when Sigmoid is on) or 1..10 units of any
        /// non-softmax activation with mean squared error, trained on one-hot labels.
        /// </summary>
        private RandomNetwork AddHeadAndLoss()
        {
            var losses = new List<LossFunction> { LossFunction.CategoricalCrossEntropy };
            if (_features.OtherLosses)
            {
                if (_features.MoreActivations) losses.Add(LossFunction.BinaryCrossEntropy);
                losses.Add(LossFunction.MeanSquaredError);
            }
            LossFunction loss = _random.Pick(losses);
            int units = loss == LossFunction.CategoricalCrossEntropy ? _random.Next(2, 11) : _random.Next(1, 11);
            Activation activation = loss switch
            {
                LossFunction.CategoricalCrossEntropy => Activation.Softmax,
                LossFunction.BinaryCrossEntropy => Activation.Sigmoid,
                _ => _random.Pick(HiddenActivations),
            };
            AddDense(units, activation);
            _attributes.Add($"Loss(LossFunction.{loss})");

            string ns = "Properties.Case" + Text(_seed);
            const string className = "Net";
            var text = new IndentedText();
            text.Line("using CompiledNets;");
            text.Line();
            text.Line($"namespace {ns};");
            text.Line();
            text.Line("[CompiledNetwork]");
            foreach (string attribute in _attributes) text.Line($"[{attribute}]");
            text.Line($"public partial class {className} {{ }}");

            return new RandomNetwork(_seed, ns, className, text.ToString(), _trace.ToArray(),
                _input, _shape, _parameters.ToArray(), loss, Classes: units == 1 ? 2 : units, _hasDropout);
        }

        /// <summary>The kernel and bias of the layer about to be added, named as the diagnostics name it: "Conv2D #0 kernel".</summary>
        private void AddParameters(string kind, int kernel, int bias)
        {
            string layer = $"{kind} #{_attributes.Count - 1}"; // its position among the layers, [Input] not counted
            int offset = _parameters.Count == 0 ? 0 : _parameters[^1].Offset + _parameters[^1].Length;
            _parameters.Add(new ParameterGroup(layer + " kernel", offset, kernel, IsBias: false));
            _parameters.Add(new ParameterGroup(layer + " bias", offset + kernel, bias, IsBias: true));
        }

        private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
