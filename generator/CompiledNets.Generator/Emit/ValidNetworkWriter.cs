using System;
using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>Writes the members of a valid network (see design.md, "Generated members").</summary>
internal sealed class ValidNetworkWriter
{
    private readonly SourceWriter _w;
    private readonly NetworkPlan _plan;
    private readonly LayerEmitter[] _layers;
    private readonly string _name;
    private readonly int _transposedKernelsSize;
    private readonly int _packedKernelsSize;
    private readonly int _transposedGradientsSize;

    // Crefs to the public methods a user may overload carry their parameter lists (a cref by name alone would be
    // ambiguous, CS0419), with qualified types like the rest of the file.
    private const string PredictCref = "Predict(" + Types.ReadOnlySpan + "{float}, " + Types.Span + "{float})";
    private const string ComputeGradientsFromLabelsCref = "ComputeGradients(" + Types.ReadOnlySpan + "{float}, " + Types.ReadOnlySpan + "{int})";
    private const string ComputeGradientsFromTargetsCref = "ComputeGradients(" + Types.ReadOnlySpan + "{float}, " + Types.ReadOnlySpan + "{float})";

    private IEnumerable<DensePlan> TransposedLayers => _plan.Layers.OfType<DensePlan>().Where(d => d.UsesTransposedKernel);

    /// <summary>The large dense layers: their batched forward reads the kernel packed at the start of the batch.</summary>
    private IEnumerable<DensePlan> PackedLayers => _plan.Layers.OfType<DensePlan>().Where(d => d.UsesBatchKernels);

    /// <summary>
    /// The large dense layers of a trained network: their kernel gradients are computed in Reduce, each worker its
    /// slice of the rows, from the whole batch's inputs and output gradients, which the chunks leave in batch-wide
    /// buffers. Summed per worker, they would cost every worker a write of the whole kernel's gradient per step and
    /// the reduction a read of every worker's (the tutorial convnet's 3.2 million floats: 13 MB each, per worker).
    /// </summary>
    private IEnumerable<DensePlan> BatchGradientLayers => Trains ? _plan.Layers.OfType<DensePlan>().Where(d => d.UsesBatchKernels) : Enumerable.Empty<DensePlan>();

    public ValidNetworkWriter(SourceWriter writer, NetworkPlan plan)
    {
        _w = writer;
        _plan = plan;
        int transposedOffset = 0, transposedGradientOffset = 0, packedOffset = 0;
        _layers = plan.Layers.Select((layer, index) =>
        {
            if (plan.FusedPool(index) is { } pool) return new ConvEmitter((ConvPlan)layer) { Pool = pool };
            if (plan.FusedPool(index - 1) is not null) return new MaxPoolEmitter((MaxPoolPlan)layer) { ForwardFusedInto = plan.Layers[index - 1].Name };
            if (layer is DensePlan { UsesBatchKernels: true } batched)
            {
                var packing = new DenseEmitter(batched) { PackedOffset = packedOffset };
                packedOffset += batched.KernelSize;
                return packing;
            }
            if (layer is not DensePlan { UsesTransposedKernel: true } dense) return LayerEmitter.For(layer);
            var emitter = new DenseEmitter(dense) { TransposedOffset = transposedOffset, TransposedGradientOffset = transposedGradientOffset };
            transposedOffset += dense.KernelSize + dense.BiasSize;
            transposedGradientOffset += dense.KernelSize + dense.BiasSize;
            return emitter;
        }).ToArray();
        _packedKernelsSize = packedOffset;
        _transposedKernelsSize = transposedOffset;
        _transposedGradientsSize = transposedGradientOffset;
        _name = plan.ClassName;
    }

    private LayerPlan Last => _plan.Layers[_plan.Layers.Count - 1];

    private bool HasSoftmaxOutput => Last is ParametricLayerPlan { Activation: Activation.Softmax };

    private bool Trains => _plan.Loss is not null;

    private bool HasDropout => _plan.Layers.Any(l => l is DropoutPlan);

    /// <summary>
    /// The span holding the output of the chunk's sample <paramref name="sample"/> (an expression): the last layer's
    /// buffer, or, when the network ends in Flatten (which has no buffer of its own), the buffer it views — the
    /// input itself if nothing precedes it.
    /// </summary>
    private string LastOutput(string sample, string inputSpan = "input")
    {
        string buffer = OutputBuffer(_plan.Layers.Count - 1);
        if (buffer == "input") return sample == "0" ? inputSpan : $"{inputSpan}.Slice({sample} * InputSize, OutputSize)";
        return AsSpan($"worker.{buffer}", sample == "0" ? "0" : $"{sample} * OutputSize", "OutputSize");
    }

    /// <summary>Index of the first layer with parameters: layers up to it need no input gradient during training.</summary>
    private int FirstParametric => _plan.Layers.ToList().FindIndex(l => l is ParametricLayerPlan);

    public void Write()
    {
        var w = _w;
        w.Line($"[{Types.GeneratedCode}(\"CompiledNets.Generator\", \"{GeneratorVersion.Value}\")]");
        using (w.Block($"partial class {_name} : {Types.ICompiledNetwork}, {Types.IBatchTask}"))
        {
            WriteConstants();
            WriteState();
            WriteConstruction();
            WriteInference();
            WriteTraining();
            WriteBatchTask();
            WriteInterfaceMembers();
            WriteWorker();
            WriteBatchBuffers();
            WriteForwardSequence();
            WriteBackwardSequence();
            foreach (var layer in _layers)
                WriteLayer(layer);
        }
    }

    // ---- constants and summary -----------------------------------------------------------------

    private void WriteConstants()
    {
        var w = _w;
        w.Line($"/// <summary>Floats per input sample: {_plan.Input}.</summary>");
        w.Line($"public const int InputSize = {Code.Int(_plan.Input.Size)};");
        w.Line($"/// <summary>Floats per output sample: {_plan.Output}.</summary>");
        w.Line($"public const int OutputSize = {Code.Int(_plan.Output.Size)};");
        w.Line("/// <summary>Trainable parameters (the length of <see cref=\"Parameters\"/>).</summary>");
        w.Line($"public const int ParameterCount = {Code.Int(_plan.ParameterCount)};");
        w.Line("/// <summary>Floating-point operations of one sample's forward pass (2 per multiply-add).</summary>");
        w.Line($"public const long FlopsPerForward = {Code.Int(_plan.FlopsPerForward)};");
        w.Line("/// <summary>Floating-point operations of one sample's training step: forward, weight gradients, input gradients.</summary>");
        w.Line($"public const long FlopsPerTrainStep = {Code.Int(_plan.FlopsPerTrainStep)};");
        w.Line(_plan.ChunkSize == 1
            ? "// Samples a worker runs through the layers together: one, so each sample's activations stay in cache."
            : "// Samples a worker runs through the layers together: large dense kernels are then read once per chunk, not per sample.");
        w.Line($"private const int ChunkSize = {_plan.ChunkSize};");
        w.Line();
        w.Line("/// <summary>The Keras-like <c>model.summary()</c> table of this network.</summary>");
        w.Line("public static string Summary =>");
        w.Indent();
        var lines = SummaryTable.Lines(_plan);
        for (int i = 0; i < lines.Count; i++)
            w.Line($"\"{lines[i].Replace("\"", "\\\"")}\\n\"{(i == lines.Count - 1 ? ";" : " +")}");
        w.Outdent();
        w.Line();
    }

    private void WriteState()
    {
        var w = _w;
        w.Line("private readonly float[] _parameters = new float[ParameterCount];");
        w.Line("private readonly float[] _gradients = new float[ParameterCount];");
        if (_transposedKernelsSize > 0)
        {
            w.Line("// Kernels of the dense layers with few units, transposed to [out][in] at the start of each batch (see TransposeKernels).");
            w.Line($"private readonly float[] _transposedKernels = new float[{Code.Int(_transposedKernelsSize)}];");
        }
        if (_packedKernelsSize > 0)
        {
            w.Line("// Kernels of the large dense layers, packed in their batched forward's reading order at the start of each batch");
            w.Line("// whose chunks read them (see PackKernels): once per batch, shared by the workers, instead of once per chunk.");
            w.Line($"private readonly float[] _packedKernels = new float[{Code.Int(_packedKernelsSize)}];");
            w.Line("private bool _packsKernels; // this batch's chunks read the packed kernels");
        }
        w.Line($"private Worker[] _workers = {Types.Array}.Empty<Worker>();");
        w.Line($"private {Types.WorkerPool}? _pool;");
        w.Line();
        w.Line("// Arguments of the batch the workers run, set by the calling method before each run.");
        w.Line("private BatchKind _batchKind;");
        // Only training reads it: an unused field is warning CS0169, an error for users with TreatWarningsAsErrors.
        if (Trains)
        {
            w.Line("private float _batchScale;");
            w.Line($"private {Types.Optimizer}? _slicedStep; // an element-wise optimizer stepping each worker's slice in Reduce, or null");
        }
        if (BatchGradientLayers.Any())
        {
            w.Line("private readonly BatchBuffers _batch = new(); // what Reduce computes the large dense layers' kernel gradients from");
        }
        if (HasDropout && Trains)
        {
            w.Line();
            w.Line("// Dropout masks are drawn from streams fixed by this seed, the training step and the sample's index in the batch.");
            w.Line("private long _dropoutSeed;");
            w.Line("private long _trainingStep;");
        }
        w.Line();
    }

    private void WriteConstruction()
    {
        var w = _w;
        w.Line("/// <summary>A network with Glorot-uniform kernels and zero biases drawn with seed 0.</summary>");
        using (w.Block($"public {_name}() : this(seed: 0)"))
        {
        }
        w.Line();
        w.Line("/// <summary>A network with Glorot-uniform kernels and zero biases drawn with <paramref name=\"seed\"/>.</summary>");
        using (w.Block($"public {_name}(int seed)"))
        {
            w.Line("InitializeParameters(seed);");
            w.Line($"WorkerCount = {Types.Environment}.ProcessorCount;");
        }
        w.Line();
        w.Line("/// <summary>Threads a batch is split over; results are bit-for-bit repeatable for a given count.</summary>");
        w.Line("public int WorkerCount");
        w.Line("{");
        w.Indent();
        w.Line("get => _workers.Length;");
        using (w.Block("set"))
        {
            w.Line($"if (value < 1) throw new {Types.ArgumentOutOfRangeException}(nameof(value), value, \"WorkerCount must be at least 1.\");");
            w.Line("if (value == _workers.Length) return;");
            w.Line("var workers = new Worker[value];");
            w.Line("for (int i = 0; i < value; i++) workers[i] = i < _workers.Length ? _workers[i] : new Worker();");
            w.Line("_workers = workers;");
            w.Line("_pool?.Dispose();");
            w.Line($"_pool = value > 1 ? new {Types.WorkerPool}(value) : null;");
        }
        w.Outdent();
        w.Line("}");
        w.Line();
        w.Line("/// <summary>All trainable parameters, flat, in layer order, Keras layouts (kernel then bias).</summary>");
        w.Line($"public {Types.Span}<float> Parameters => _parameters;");
        w.Line();
        w.Line("/// <summary>d(mean loss)/d(parameters) of the last <c>ComputeGradients</c>, same layout as <see cref=\"Parameters\"/>.</summary>");
        w.Line($"public {Types.Span}<float> Gradients => _gradients;");
        w.Line();
        w.Line("/// <summary>Glorot-uniform kernels and zero biases, deterministic for a given <paramref name=\"seed\"/>.</summary>");
        using (w.Block("public void InitializeParameters(int seed)"))
        {
            w.Line($"var random = new {Types.SeededRandom}(seed);");
            if (HasDropout && Trains)
            {
                w.Line("_dropoutSeed = seed;");
                w.Line("_trainingStep = 0;");
            }
            w.Line($"{Types.Span}<float> parameters = _parameters;");
            foreach (var layer in _plan.Layers.OfType<ParametricLayerPlan>())
            {
                w.Line($"{Types.ParameterInitializer}.GlorotUniform(parameters.Slice({layer.Name}KernelOffset, {Code.Int(layer.KernelSize)}), fanIn: {Code.Int(layer.FanIn)}, fanOut: {Code.Int(layer.FanOut)}, ref random);");
                w.Line($"parameters.Slice({layer.Name}BiasOffset, {Code.Int(layer.BiasSize)}).Clear();");
            }
        }
        w.Line();
    }

    // ---- inference -----------------------------------------------------------------------------

    private void WriteInference()
    {
        var w = _w;
        w.Line("/// <summary>Runs one sample and writes the last layer's activations" + (HasSoftmaxOutput ? " (class probabilities)" : "") + ".</summary>");
        using (w.Block($"public void Predict({Types.ReadOnlySpan}<float> input, {Types.Span}<float> output)"))
        {
            w.Line($"{Types.NetworkGuard}.Length(input.Length, InputSize, nameof(input));");
            w.Line($"{Types.NetworkGuard}.Length(output.Length, OutputSize, nameof(output));");
            w.Line("PredictSamples(_workers[0], input, output);");
        }
        w.Line();
        w.Line(_plan.Output.Size == 1
            ? $"/// <summary>1 when the output of <see cref=\"{PredictCref}\"/> is above 0.5, else 0.</summary>"
            : $"/// <summary>The index of the largest output of <see cref=\"{PredictCref}\"/>.</summary>");
        using (w.Block($"public int Classify({Types.ReadOnlySpan}<float> input)"))
        {
            w.Line($"{Types.NetworkGuard}.Length(input.Length, InputSize, nameof(input));");
            w.Line("Worker worker = _workers[0];");
            w.Line($"Forward(worker, ref {Types.MemoryMarshal}.GetReference(input), 1{Training(false)});");
            if (_plan.Output.Size == 1)
            {
                w.Line("// One output unit: class 1 when it is above one half (a sigmoid probability or a 0/1 regression).");
                w.Line($"return {LastOutput("0")}[0] > 0.5f ? 1 : 0;");
            }
            else
            {
                w.Line($"// Softmax keeps the order of its inputs, so the arg-max of the logits is the predicted class.");
                w.Line($"return {Types.OutputKernels}.ArgMax({LastOutput("0")});");
            }
        }
        w.Line();
        w.Line("/// <summary>Runs <c>inputs.Length / InputSize</c> samples stored back to back, split over the workers.</summary>");
        using (w.Block($"public void PredictBatch({Types.ReadOnlySpan}<float> inputs, {Types.Span}<float> outputs)"))
        {
            w.Line("int count = inputs.Length / InputSize;");
            w.Line($"{Types.NetworkGuard}.BatchLength(inputs.Length, count, InputSize, nameof(inputs));");
            w.Line($"{Types.NetworkGuard}.BatchLength(outputs.Length, count, OutputSize, nameof(outputs));");
            w.Line($"RunBatch(BatchKind.Predict, inputs, {Types.ReadOnlySpan}<int>.Empty, {Types.ReadOnlySpan}<float>.Empty, outputs, count);");
        }
        w.Line();
        w.Line("/// <summary>Runs the samples of <paramref name=\"inputs\"/> in chunks and writes their outputs.</summary>");
        using (w.Block($"private void PredictSamples(Worker worker, {Types.ReadOnlySpan}<float> inputs, {Types.Span}<float> outputs)"))
        {
            w.Line("int total = inputs.Length / InputSize;");
            using (w.Block("for (int first = 0; first < total; first += ChunkSize)"))
            {
                w.Line($"int count = {Types.Math}.Min(ChunkSize, total - first);");
                w.Line($"{Types.ReadOnlySpan}<float> chunk = inputs.Slice(first * InputSize, count * InputSize);");
                w.Line($"Forward(worker, ref {Types.MemoryMarshal}.GetReference(chunk), count{Training(false)});");
                using (w.Block("for (int s = 0; s < count; s++)"))
                {
                    w.Line($"{Types.Span}<float> output = outputs.Slice((first + s) * OutputSize, OutputSize);");
                    if (HasSoftmaxOutput)
                        w.Line($"{Types.OutputKernels}.Softmax({LastOutput("s", "chunk")}, output);");
                    else
                        w.Line($"{LastOutput("s", "chunk")}.CopyTo(output);");
                }
            }
        }
        w.Line();
    }

    // ---- training ------------------------------------------------------------------------------

    private void WriteTraining()
    {
        var w = _w;
        string noLoss = $"throw {Types.NetworkGuard}.NoLoss(\"{_name}\")";
        w.Line("/// <summary>Fills <see cref=\"Gradients\"/> with d(mean loss)/d(parameters) of the batch and returns the mean loss.</summary>");
        using (w.Block($"public float ComputeGradients({Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<int> labels)"))
        {
            if (!Trains)
            {
                w.Line($"{noLoss};");
            }
            else
            {
                w.Line("int count = labels.Length;");
                w.Line($"{Types.NetworkGuard}.NotEmpty(count, nameof(labels));");
                w.Line($"{Types.NetworkGuard}.BatchLength(inputs.Length, count, InputSize, nameof(inputs));");
                w.Line($"{Types.NetworkGuard}.Labels(labels, {LabelClassesText});");
                w.Line($"return ComputeBatchGradients(inputs, labels, {Types.ReadOnlySpan}<float>.Empty, count);");
            }
        }
        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// <see cref=\"{ComputeGradientsFromLabelsCref}\"/> against float targets, OutputSize per sample:");
        w.Line("/// regression values, per-unit probabilities, or class distributions (soft labels), as the loss reads them.");
        w.Line("/// </summary>");
        using (w.Block($"public float ComputeGradients({Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<float> targets)"))
        {
            if (!Trains)
            {
                w.Line($"{noLoss};");
            }
            else
            {
                w.Line("int count = targets.Length / OutputSize;");
                w.Line($"{Types.NetworkGuard}.NotEmpty(count, nameof(targets));");
                w.Line($"{Types.NetworkGuard}.BatchLength(targets.Length, count, OutputSize, nameof(targets));");
                w.Line($"{Types.NetworkGuard}.BatchLength(inputs.Length, count, InputSize, nameof(inputs));");
                w.Line($"return ComputeBatchGradients(inputs, {Types.ReadOnlySpan}<int>.Empty, targets, count);");
            }
        }
        w.Line();
        if (Trains)
        {
            using (w.Block($"private float ComputeBatchGradients({Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<int> labels, {Types.ReadOnlySpan}<float> targets, int count)"))
            {
                if (_transposedKernelsSize > 0) w.Line("if (_pool is null) TransposeKernels(0, 1); // with several workers, each transposes a share (Prepare)");
                w.Line("_batchScale = 1f / count;");
                if (BatchGradientLayers.Any())
                {
                    w.Line("_batch.Samples = count;");
                    var first = BatchGradientLayers.First();
                    using (w.Block($"if (_batch.{first.Name}Inputs.Length < count * {first.Name}Inputs) // grown to the largest batch yet, once"))
                    {
                        foreach (var dense in BatchGradientLayers)
                        {
                            w.Line($"_batch.{dense.Name}Inputs = new float[count * {dense.Name}Inputs];");
                            w.Line($"_batch.{dense.Name}OutputGradients = new float[count * {dense.Name}Units];");
                        }
                    }
                }
                w.Line($"double lossSum = RunBatch(BatchKind.Gradients, inputs, labels, targets, {Types.Span}<float>.Empty, count);");
                if (HasDropout) w.Line("_trainingStep++; // the next batch draws new dropout masks");
                w.Line("return (float)(lossSum / count);");
            }
            w.Line();
        }
        w.Line($"/// <summary><see cref=\"{ComputeGradientsFromLabelsCref}\"/>, then one step of <paramref name=\"optimizer\"/>; returns the mean loss.</summary>");
        using (w.Block($"public float TrainStep({Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<int> labels, {Types.Optimizer} optimizer)"))
            WriteTrainStepBody("labels");
        w.Line();
        w.Line($"/// <summary><see cref=\"{ComputeGradientsFromTargetsCref}\"/>, then one step of <paramref name=\"optimizer\"/>; returns the mean loss.</summary>");
        using (w.Block($"public float TrainStep({Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<float> targets, {Types.Optimizer} optimizer)"))
            WriteTrainStepBody("targets");
        w.Line();
        w.Line("/// <summary>d(loss)/d(input) of one sample against its label: a saliency map." + (HasDropout ? " Dropout is off, as in inference." : "") + "</summary>");
        using (w.Block($"public void InputGradient({Types.ReadOnlySpan}<float> input, int label, {Types.Span}<float> inputGradient)"))
        {
            if (!Trains)
            {
                w.Line($"{noLoss};");
            }
            else
            {
                w.Line($"{Types.NetworkGuard}.Label(label, {LabelClassesText});");
                w.Line($"SampleInputGradient(input, label, {Types.ReadOnlySpan}<float>.Empty, inputGradient);");
            }
        }
        w.Line();
        w.Line("/// <summary>d(loss)/d(input) of one sample against a float target of OutputSize values." + (HasDropout ? " Dropout is off, as in inference." : "") + "</summary>");
        using (w.Block($"public void InputGradient({Types.ReadOnlySpan}<float> input, {Types.ReadOnlySpan}<float> target, {Types.Span}<float> inputGradient)"))
        {
            if (!Trains)
            {
                w.Line($"{noLoss};");
            }
            else
            {
                w.Line($"{Types.NetworkGuard}.Length(target.Length, OutputSize, nameof(target));");
                w.Line("SampleInputGradient(input, 0, target, inputGradient);");
            }
        }
        w.Line();
        if (Trains)
        {
            using (w.Block($"private void SampleInputGradient({Types.ReadOnlySpan}<float> input, int label, {Types.ReadOnlySpan}<float> target, {Types.Span}<float> inputGradient)"))
            {
                w.Line($"{Types.NetworkGuard}.Length(input.Length, InputSize, nameof(input));");
                w.Line($"{Types.NetworkGuard}.Length(inputGradient.Length, InputSize, nameof(inputGradient));");
                if (_transposedKernelsSize > 0) w.Line("TransposeKernels(0, 1);");
                w.Line("Worker worker = _workers[0];");
                w.Line($"ref float sample = ref {Types.MemoryMarshal}.GetReference(input);");
                w.Line($"Forward(worker, ref sample, 1{ForwardArguments(true, "-1")});");
                w.Line("// The worker's gradient buffer takes the parameter gradients this pass also produces; they are discarded.");
                w.Line($"{Types.Array}.Clear(worker.Gradients);");
                w.Line($"{Types.ReadOnlySpan}<int> labels = target.IsEmpty ? stackalloc int[] {{ label }} : {Types.ReadOnlySpan}<int>.Empty;");
                w.Line($"Backward(worker, ref sample, labels, target, 1, scale: 1f, ref worker.Gradients[0], ref {Types.MemoryMarshal}.GetReference(inputGradient), computeInputGradient: true);");
            }
            w.Line();
        }
        if (_transposedKernelsSize > 0)
        {
            WriteKernelCopies("TransposeKernels", "Refreshes", "the transposed kernels",
                TransposedLayers.Select(dense => $"{dense.Name}TransposeKernel(ref _parameters[0], ref _transposedKernels[0], workerIndex, workerCount);"));
        }
        if (_packedKernelsSize > 0)
        {
            WriteKernelCopies("PackKernels", "Packs", "the large dense kernels",
                PackedLayers.Select(dense => $"{dense.Name}PackKernel(ref _parameters[0], ref _packedKernels[{dense.Name}PackedOffset], workerIndex, workerCount);"));
        }
    }

    /// <summary>A method filling worker workerIndex's share of copies of kernels the batch reads, made from the parameters as they are now.</summary>
    private void WriteKernelCopies(string method, string verb, string what, IEnumerable<string> calls)
    {
        var w = _w;
        w.Line("/// <summary>");
        w.Line($"/// {verb} worker <paramref name=\"workerIndex\"/>'s share of {what} from <see cref=\"Parameters\"/>,");
        w.Line("/// which anyone may have changed since the last batch (one worker of one: all of them).");
        w.Line("/// </summary>");
        using (w.Block($"private void {method}(int workerIndex, int workerCount)"))
        {
            foreach (string call in calls) w.Line(call);
        }
        w.Line();
    }

    /// <summary>
    /// The classes argument of the label checks: OutputSize, or 2 for a single sigmoid or regression unit, whose
    /// label (0 or 1) is its target. (A single softmax unit is always 1: only label 0 makes sense there.)
    /// </summary>
    private string LabelClassesText => _plan.Output.Size == 1 && _plan.Loss != LossFunction.CategoricalCrossEntropy ? "classes: 2" : "OutputSize";

    private void WriteTrainStepBody(string labelsOrTargets)
    {
        var w = _w;
        void WholeStep()
        {
            w.Line($"float loss = ComputeGradients(inputs, {labelsOrTargets});");
            w.Line("optimizer.Step(_parameters, _gradients);");
            w.Line("return loss;");
        }

        w.Line($"{Types.ArgumentNullException}.ThrowIfNull(optimizer);");
        if (!Trains)
        {
            WholeStep();
            return;
        }
        w.Line("// With several workers an element-wise optimizer (Adam, SGD) steps each worker's slice of the parameters on that");
        w.Line("// worker, right after the worker has summed that slice of the gradients (Reduce); others step once, here.");
        using (w.Block("if (_pool is null || !optimizer.UpdatesElementwise)"))
            WholeStep();
        w.Line("optimizer.BeginStep(ParameterCount);");
        w.Line("_slicedStep = optimizer;");
        using (w.Block("try"))
        {
            w.Line($"float loss = ComputeGradients(inputs, {labelsOrTargets});");
            w.Line("optimizer.EndStep();");
            w.Line("return loss;");
        }
        using (w.Block("finally"))
            w.Line("_slicedStep = null;");
    }

    // ---- the batch, split over workers -------------------------------------------------------

    private void WriteBatchTask()
    {
        var w = _w;
        w.Line("private enum BatchKind { Predict, Gradients }");
        w.Line();
        bool transposes = Trains && _transposedKernelsSize > 0, packs = _packedKernelsSize > 0;
        if (transposes && !packs)
        {
            w.Line("/// <summary>A training batch first refreshes the transposed kernels, every worker a share of their rows, so no worker waits for one to do it all.</summary>");
            w.Line($"bool {Types.IBatchTask}.Prepares => _batchKind == BatchKind.Gradients;");
            w.Line();
            w.Line($"void {Types.IBatchTask}.Prepare(int workerIndex, int workerCount) => TransposeKernels(workerIndex, workerCount);");
            w.Line();
        }
        else if (packs)
        {
            string refreshes = transposes ? "a training batch refreshes the transposed kernels and " : "";
            w.Line($"/// <summary>First {refreshes}a batch whose chunks read them packs the large dense kernels, every worker a share, so no worker waits for one to do it all.</summary>");
            w.Line($"bool {Types.IBatchTask}.Prepares => {(transposes ? "_batchKind == BatchKind.Gradients || " : "")}_packsKernels;");
            w.Line();
            using (w.Block($"void {Types.IBatchTask}.Prepare(int workerIndex, int workerCount)"))
            {
                if (transposes) w.Line("if (_batchKind == BatchKind.Gradients) TransposeKernels(workerIndex, workerCount);");
                w.Line("if (_packsKernels) PackKernels(workerIndex, workerCount);");
            }
            w.Line();
        }
        if (BatchGradientLayers.Any()) WriteBatchGradientReduce();
        else WriteReduce();
        w.Line("/// <summary>Runs the batch on every worker (on this thread alone when there is one) and returns the summed loss.</summary>");
        using (w.Block($"private double RunBatch(BatchKind kind, {Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<int> labels, {Types.ReadOnlySpan}<float> targets, {Types.Span}<float> outputs, int count)"))
        {
            w.Line("_batchKind = kind;");
            if (_packedKernelsSize > 0)
            {
                w.Line("// A worker's first chunk is its largest: pack the kernels only when it reads them.");
                string firstChunk = $"{Types.Math}.Min(ChunkSize, (count + WorkerCount - 1) / WorkerCount)";
                w.Line($"_packsKernels = {string.Join(" || ", PackedLayers.Select(d => $"{d.Name}ReadsPackedKernel({firstChunk})"))};");
            }
            using (w.Block("if (_pool is null)"))
            {
                if (_packedKernelsSize > 0) w.Line("if (_packsKernels) PackKernels(0, 1); // with several workers, each packs a share (Prepare)");
                w.Line($"(({Types.IBatchTask})this).Execute(0, 1, inputs, labels, targets, outputs);");
                if (BatchGradientLayers.Any())
                    w.Line($"(({Types.IBatchTask})this).Reduce(0, 1); // {string.Join(" and ", BatchGradientLayers.Select(d => d.Name + "'s"))} kernel gradients, from the whole batch");
            }
            using (w.Block("else"))
            {
                w.Line("_pool.Run(this, inputs, labels, targets, outputs);");
            }
            w.Line("double loss = 0;");
            w.Line("foreach (Worker worker in _workers) loss += worker.Loss;");
            w.Line("return loss;");
        }
        w.Line();
        w.Line("/// <summary>One worker's share of the batch: a contiguous range of samples, fixed by the worker index.</summary>");
        using (w.Block($"void {Types.IBatchTask}.Execute(int workerIndex, int workerCount, {Types.ReadOnlySpan}<float> inputs, {Types.ReadOnlySpan}<int> labels, {Types.ReadOnlySpan}<float> targets, {Types.Span}<float> outputs)"))
        {
            w.Line("Worker worker = _workers[workerIndex];");
            w.Line("int total = inputs.Length / InputSize;");
            w.Line("int start = (int)((long)total * workerIndex / workerCount), end = (int)((long)total * (workerIndex + 1) / workerCount);");
            w.Line("worker.Loss = 0;");
            using (w.Block("if (_batchKind == BatchKind.Predict)"))
            {
                w.Line("PredictSamples(worker, inputs.Slice(start * InputSize, (end - start) * InputSize), outputs.Slice(start * OutputSize, (end - start) * OutputSize));");
                w.Line("return;");
            }
            if (Trains)
            {
                w.Line("float[] gradients = workerIndex == 0 ? _gradients : worker.Gradients; // Reduce adds the other workers' to the first's");
                EmitClearAccumulatedGradients(w);
                if (_transposedGradientsSize > 0) w.Line($"{Types.Array}.Clear(worker.TransposedGradients);");
                w.Line("double loss = 0;");
                using (w.Block("for (int first = start; first < end; first += ChunkSize)"))
                {
                    w.Line($"int count = {Types.Math}.Min(ChunkSize, end - first);");
                    w.Line($"ref float chunk = ref {Types.MemoryMarshal}.GetReference(inputs.Slice(first * InputSize, count * InputSize));");
                    w.Line($"Forward(worker, ref chunk, count{ForwardArguments(true, "(_trainingStep << 31) + first")});");
                    w.Line("loss += Backward(worker, ref chunk,");
                    w.Line("    labels.IsEmpty ? labels : labels.Slice(first, count),");
                    w.Line("    targets.IsEmpty ? targets : targets.Slice(first * OutputSize, count * OutputSize),");
                    w.Line($"    count, _batchScale, ref gradients[0], ref {Types.Unsafe}.NullRef<float>(), computeInputGradient: false);");
                    foreach (var dense in BatchGradientLayers)
                    {
                        int index = _plan.Layers.ToList().IndexOf(dense);
                        string input = InputBuffer(index) == "input" ? "inputs.Slice(first * InputSize, count * InputSize)" : AsSpan($"worker.{InputBuffer(index)}", "0", $"count * {dense.Name}Inputs");
                        w.Line($"// {dense.Name}'s inputs and output gradients, from which Reduce computes its kernel gradient for the whole batch.");
                        w.Line($"{input}.CopyTo({AsSpan($"_batch.{dense.Name}Inputs", $"first * {dense.Name}Inputs", $"count * {dense.Name}Inputs")});");
                        w.Line($"{dense.Name}PackOutputGradients(ref worker.{OutputBuffer(index)}Gradient[0], count, ref _batch.{dense.Name}OutputGradients[0], first, total);");
                    }
                }
                foreach (var dense in TransposedLayers)
                    w.Line($"{dense.Name}CopyTransposedGradient(ref worker.TransposedGradients[0], ref gradients[0]);");
                w.Line("worker.Loss = loss;");
            }
        }
        w.Line();
    }

    /// <summary>
    /// Zeroes the parameter gradients the chunks add to. The kernel and bias gradients of the dense layers with few
    /// units are not among them: those accumulate transposed and are copied in after the last chunk, so clearing them
    /// (most of the seed network's 54,410 floats) would be a wasted pass over memory. Nor are the large dense layers'
    /// kernel gradients, which no worker's share touches (Reduce computes them from the whole batch).
    /// </summary>
    private void EmitClearAccumulatedGradients(SourceWriter w)
    {
        var skipped = TransposedLayers.SelectMany(d => new[] { (Start: d.KernelOffset, End: d.KernelOffset + d.KernelSize), (Start: d.BiasOffset, End: d.BiasOffset + d.BiasSize) })
            .Concat(BatchGradientLayers.Select(d => (Start: d.KernelOffset, End: d.KernelOffset + d.KernelSize)))
            .OrderBy(r => r.Start).ToList();
        if (skipped.Count == 0)
        {
            w.Line($"{Types.Array}.Clear(gradients);");
            return;
        }
        var notes = new List<string>();
        if (BatchGradientLayers.Any()) notes.Add($"Reduce computes {string.Join(" and ", BatchGradientLayers.Select(d => d.Name + "'s"))} kernel gradients from the whole batch");
        if (TransposedLayers.Any()) notes.Add($"{WriteTheirs(TransposedLayers)} after the last chunk");
        w.Line($"// Only the gradients the chunks add to: {string.Join("; ", notes)}.");
        int from = 0;
        foreach (var (start, end) in skipped.Append((Start: _plan.ParameterCount, End: _plan.ParameterCount)))
        {
            if (start > from) w.Line($"{Types.Array}.Clear(gradients, {Code.Int(from)}, {Code.Int(start - from)});");
            from = System.Math.Max(from, end);
        }
    }

    /// <summary>"Dense5 writes its", "Dense5 and Dense7 write theirs": who writes their own gradients.</summary>
    private static string WriteTheirs(IEnumerable<DensePlan> layers)
    {
        var names = layers.Select(d => d.Name).ToList();
        return $"{string.Join(" and ", names)} {(names.Count == 1 ? "writes its" : "write theirs")}";
    }

    private void WriteInterfaceMembers()
    {
        var w = _w;
        w.Line($"string {Types.ICompiledNetwork}.Name => \"{_name}\";");
        w.Line($"int {Types.ICompiledNetwork}.InputSize => InputSize;");
        w.Line($"int {Types.ICompiledNetwork}.OutputSize => OutputSize;");
        w.Line($"int {Types.ICompiledNetwork}.ParameterCount => ParameterCount;");
        w.Line($"string {Types.ICompiledNetwork}.Summary => Summary;");
        w.Line($"{Types.LossFunction}? {Types.ICompiledNetwork}.Loss => {(_plan.Loss is { } loss ? $"{Types.LossFunction}." + loss : "null")};");
        w.Line();
    }

    private void WriteReduce()
    {
        var w = _w;
        w.Line("/// <summary>");
        w.Line("/// After every share is done, worker <paramref name=\"workerIndex\"/> sums its slice of the parameters over all");
        w.Line("/// workers' gradients into <see cref=\"Gradients\"/>, in worker order, so the result does not depend on timing;");
        w.Line("/// in a TrainStep with an element-wise optimizer it then steps that slice of the parameters.");
        w.Line("/// </summary>");
        using (w.Block($"void {Types.IBatchTask}.Reduce(int workerIndex, int workerCount)"))
        {
            if (Trains)
            {
                w.Line("// The first worker accumulated into _gradients directly (one worker: the whole sum); predictions have nothing to combine.");
                w.Line("if (_batchKind != BatchKind.Gradients || workerCount == 1) return;");
                w.Line("int end = SliceStart(workerIndex + 1, workerCount);");
                w.Line("// Block by block, so the optimizer reads each summed block while it is still in L1 (not the whole slice back from memory).");
                using (w.Block("for (int start = SliceStart(workerIndex, workerCount); start < end; start += ReduceBlock)"))
                {
                    w.Line($"int length = {Types.Math}.Min(ReduceBlock, end - start);");
                    w.Line($"{Types.Span}<float> total = {AsSpan("_gradients", "start", "length")};");
                    EmitSumOverWorkers(w);
                    w.Line($"_slicedStep?.StepSlice({AsSpan("_parameters", "start", "length")}, total, start);");
                }
            }
            else
            {
                w.Line("// Inference only: predictions have nothing to combine.");
            }
        }
        w.Line();
        if (Trains)
        {
            EmitReduceBlock(w);
            EmitSliceStart(w, Array.Empty<DensePlan>());
        }
    }

    /// <summary>
    /// SliceStart: an even split of the parameters on 16-float boundaries, moved back to the start of a row inside
    /// the kernels of <paramref name="rowLayers"/> (large dense layers whose kernel gradient Reduce computes by rows).
    /// </summary>
    private static void EmitSliceStart(SourceWriter w, IReadOnlyList<DensePlan> rowLayers)
    {
        const string evenSplit = "(int)((long)ParameterCount * workerIndex / workerCount) & ~15";
        if (rowLayers.Count == 0)
        {
            w.Line("/// <summary>Where a worker's slice of the parameters starts: on a 16-float boundary, so no two workers write one cache line.</summary>");
            w.Line("private static int SliceStart(int workerIndex, int workerCount) =>");
            w.Line($"    workerIndex == workerCount ? ParameterCount : {evenSplit};");
            w.Line();
            return;
        }
        w.Line("/// <summary>");
        w.Line("/// Where a worker's slice of the parameters starts: on a 16-float boundary, so no two workers write one cache line,");
        w.Line($"/// or, in {string.Join(" and ", rowLayers.Select(d => d.Name + "'s"))} kernel, at the start of the row (its gradient is computed a row at a time).");
        w.Line("/// </summary>");
        using (w.Block("private static int SliceStart(int workerIndex, int workerCount)"))
        {
            w.Line("if (workerIndex == workerCount) return ParameterCount;");
            w.Line($"int start = {evenSplit};");
            foreach (var dense in rowLayers)
                w.Line($"if (start >= {dense.Name}KernelOffset && start < {KernelEnd(dense)}) start -= (start - {dense.Name}KernelOffset) % {dense.Name}Units;");
            w.Line("return start;");
        }
        w.Line();
    }

    private static void EmitReduceBlock(SourceWriter w)
    {
        w.Line("/// <summary>Parameters summed and stepped at a time in a worker's slice: 16 KiB of each array involved.</summary>");
        w.Line("private const int ReduceBlock = 4096;");
        w.Line();
    }

    private static void EmitSumOverWorkers(SourceWriter w)
    {
        w.Line("// In place: the first worker's share is already there, and a block read then written needs no extra read for ownership.");
        w.Line("for (int i = 1; i < workerCount; i++)");
        w.Line($"    {Types.TensorPrimitives}.Add(total, {AsSpan("_workers[i].Gradients", "start", "length")}, total);");
    }

    /// <summary>The end of a large dense layer's kernel in the parameters (its constant).</summary>
    private static string KernelEnd(DensePlan dense) => $"{dense.Name}KernelEnd";

    /// <summary>
    /// Reduce for a network with large dense layers: their kernel gradients are not summed over the workers but
    /// computed here, each worker the rows in its slice, from the whole batch (see <see cref="BatchGradientLayers"/>).
    /// </summary>
    private void WriteBatchGradientReduce()
    {
        var w = _w;
        var layers = BatchGradientLayers.OrderBy(d => d.KernelOffset).ToList();
        string names = string.Join(" and ", layers.Select(d => d.Name + "'s"));
        w.Line("/// <summary>");
        w.Line("/// After every share is done, worker <paramref name=\"workerIndex\"/> completes its slice of <see cref=\"Gradients\"/>:");
        w.Line($"/// {names} kernel gradient rows from the whole batch's inputs and output gradients, in sample order, and the");
        w.Line("/// rest summed over all workers' gradients in worker order, so the result does not depend on timing; in a");
        w.Line("/// TrainStep with an element-wise optimizer it then steps that slice of the parameters. One worker runs it too.");
        w.Line("/// </summary>");
        using (w.Block($"void {Types.IBatchTask}.Reduce(int workerIndex, int workerCount)"))
        {
            w.Line("if (_batchKind != BatchKind.Gradients) return; // predictions have nothing to combine");
            w.Line("int end = SliceStart(workerIndex + 1, workerCount);");
            w.Line("// Piece by piece, so the optimizer reads each piece while it is still in cache (not the whole slice back from memory).");
            using (w.Block("for (int start = SliceStart(workerIndex, workerCount); start < end;)"))
            {
                w.Line("int length = CompleteGradients(start, end, workerCount);");
                w.Line($"_slicedStep?.StepSlice({AsSpan("_parameters", "start", "length")}, {AsSpan("_gradients", "start", "length")}, start);");
                w.Line("start += length;");
            }
        }
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Completes the gradients of the piece of a worker's slice that starts at <paramref name=\"start\"/> (and ends by");
        w.Line($"/// <paramref name=\"end\"/>) and returns its length: in {names} kernel, whole rows computed from the batch;");
        w.Line("/// elsewhere up to ReduceBlock floats, the first worker's share plus the others'.");
        w.Line("/// </summary>");
        using (w.Block("private int CompleteGradients(int start, int end, int workerCount)"))
        {
            foreach (var dense in layers)
            {
                string n = dense.Name;
                using (w.Block($"if (start >= {n}KernelOffset && start < {KernelEnd(dense)})"))
                {
                    w.Line($"int row = (start - {n}KernelOffset) / {n}Units; // slices start on a row here, and pieces end on one");
                    w.Line($"int rows = {Types.Math}.Min({n}RowsPerPiece, ({Types.Math}.Min(end, {KernelEnd(dense)}) - start) / {n}Units);");
                    w.Line($"{n}BatchWeightGradients(ref _batch.{n}Inputs[0], ref _batch.{n}OutputGradients[0], _batch.Samples, row, row + rows, ref _gradients[0]);");
                    w.Line($"return rows * {n}Units;");
                }
            }
            w.Line($"int length = {Types.Math}.Min(ReduceBlock, end - start);");
            foreach (var dense in layers)
                w.Line($"if (start < {dense.Name}KernelOffset) length = {Types.Math}.Min(length, {dense.Name}KernelOffset - start); // up to the kernel, whose gradient is computed, not summed");
            w.Line($"{Types.Span}<float> total = {AsSpan("_gradients", "start", "length")};");
            EmitSumOverWorkers(w);
            w.Line("return length;");
        }
        w.Line();
        EmitReduceBlock(w);
        EmitSliceStart(w, layers);
    }

    // ---- per-worker buffers and the per-sample sequences ---------------------------------------

    /// <summary>The buffer holding each layer's output: Flatten shares its input's.</summary>
    private string OutputBuffer(int index)
    {
        for (int i = index; i >= 0; i--)
        {
            if (_plan.Layers[i] is not FlattenPlan) return _plan.Layers[i].Name + "Output";
        }
        return "input";
    }

    private string InputBuffer(int index) => index == 0 ? "input" : OutputBuffer(index - 1);

    private static string Local(string buffer) => buffer == "input" ? "input" : char.ToLowerInvariant(buffer[0]) + buffer.Substring(1);

    /// <summary>The length of a per-worker buffer: one sample's floats, times the chunk when samples run in chunks.</summary>
    private string Chunked(int size) => _plan.ChunkSize == 1 ? Code.Int(size) : $"ChunkSize * {Code.Int(size)}";

    private string PerSample => _plan.ChunkSize == 1 ? "" : " per sample";

    private void WriteWorker()
    {
        var w = _w;
        w.Line("/// <summary>One thread's activations and gradients: what the forward pass keeps for the backward pass.</summary>");
        using (w.Block("private sealed class Worker"))
        {
            for (int i = 0; i < _plan.Layers.Count; i++)
            {
                var layer = _plan.Layers[i];
                if (layer is FlattenPlan) continue;
                if (_plan.FusedPool(i) is { } fused)
                {
                    w.Line($"// {layer.Name}'s output is never stored: {fused.Name}'s forward pass is computed with it.");
                    w.Line($"public readonly float[] {layer.Name}OutputGradient = new float[{Chunked(layer.Output.Size)}]; // {layer.Output}{PerSample}");
                }
                else
                {
                    w.Line($"public readonly float[] {layer.Name}Output = new float[{Chunked(layer.Output.Size)}]; // {layer.Output}{PerSample}");
                    w.Line($"public readonly float[] {layer.Name}OutputGradient = new float[{Chunked(layer.Output.Size)}];");
                }
                if (layer is MaxPoolPlan)
                    w.Line($"public readonly int[] {layer.Name}ArgMax = new int[{Chunked(layer.Output.Size)}]; // window position of each maximum");
                if (layer is DropoutPlan)
                    w.Line($"public readonly float[] {layer.Name}Mask = new float[{Chunked(layer.Output.Size)}]; // 0 or 1 / (1 - rate) per value");
                if (layer is ConvPlan { IsPadded: true } conv)
                {
                    w.Line($"public readonly float[] {layer.Name}Padded = new float[{Chunked(conv.Padded.Size)}]; // {conv.Padded}: the input with zero borders, which are never written");
                    if (!conv.GathersInputGradient)
                        w.Line($"public readonly float[] {layer.Name}PaddedGradient = new float[{Chunked(conv.Padded.Size)}];");
                }
                if (_layers[i] is ConvEmitter { PacksOutputGradient: true })
                    w.Line($"public readonly float[] {layer.Name}PackedOutputGradient = new float[{Code.Int(layer.Output.Size)}]; // one sample's output gradients reordered for the weight gradient");
                // The packed kernels are the kernel's floats reordered: as many as it has.
                if (_layers[i] is ConvEmitter { PacksKernel: true })
                    w.Line($"public readonly float[] {layer.Name}PackedKernel = new float[{Code.Int(((ConvPlan)layer).KernelSize)}]; // the kernel in {layer.Name}ForwardPooled's reading order, packed once per chunk");
                if (layer is ConvPlan { GathersInputGradient: true } gathering)
                {
                    w.Line($"public readonly float[] {layer.Name}PaddedOutputGradient = new float[{Code.Int(gathering.PaddedOutputGradient.Size)}]; // {gathering.PaddedOutputGradient}, one sample at a time; the border is never written");
                    w.Line($"public readonly float[] {layer.Name}KernelByInputChannels = new float[{Code.Int(gathering.KernelSize)}]; // the kernel in {layer.Name}BackwardInput's reading order, packed once per chunk");
                }
            }
            if (_transposedGradientsSize > 0)
            {
                w.Line("/// <summary>Kernel and bias gradients of the dense layers with few units, [out][in] then [out], added to the gradients after the worker's share.</summary>");
                w.Line($"public readonly float[] TransposedGradients = new float[{Code.Int(_transposedGradientsSize)}];");
            }
            w.Line("/// <summary>This worker's share of the parameter gradients when several workers split a batch (the first worker's goes straight to the network's; this buffer then takes the discarded ones of an input gradient).</summary>");
            w.Line("public readonly float[] Gradients = new float[ParameterCount];");
            w.Line("/// <summary>Summed loss of this worker's share of the last batch.</summary>");
            w.Line("public double Loss;");
        }
        w.Line();
    }

    /// <summary>The batch-wide buffers of the large dense layers' kernel gradients (see <see cref="BatchGradientLayers"/>).</summary>
    private void WriteBatchBuffers()
    {
        if (!BatchGradientLayers.Any()) return;
        var w = _w;
        w.Line("/// <summary>");
        w.Line("/// The whole batch's inputs and packed output gradients of the large dense layers, which each chunk fills for its");
        w.Line("/// samples and from which Reduce computes their kernel gradients (see CompleteGradients); grown to the largest batch yet.");
        w.Line("/// </summary>");
        using (w.Block("private sealed class BatchBuffers"))
        {
            foreach (var dense in BatchGradientLayers)
            {
                w.Line($"public float[] {dense.Name}Inputs = {Types.Array}.Empty<float>(); // ({dense.Input.Size}) per sample");
                w.Line($"public float[] {dense.Name}OutputGradients = {Types.Array}.Empty<float>(); // ({dense.Output.Size}) per sample, in {dense.Name}PackOutputGradients' order");
            }
            w.Line("/// <summary>Samples in the batch the buffers hold.</summary>");
            w.Line("public int Samples;");
        }
        w.Line();
    }

    private void DeclareBufferRefs(bool gradients)
    {
        for (int i = 0; i < _plan.Layers.Count; i++)
        {
            var layer = _plan.Layers[i];
            if (layer is FlattenPlan) continue;
            if (_plan.FusedPool(i) is null)
                _w.Line($"ref float {Local(layer.Name + "Output")} = ref worker.{layer.Name}Output[0];");
            if (gradients)
                _w.Line($"ref float {Local(layer.Name + "OutputGradient")} = ref worker.{layer.Name}OutputGradient[0];");
            if (layer is MaxPoolPlan)
                _w.Line($"ref int {Local(layer.Name + "ArgMax")} = ref worker.{layer.Name}ArgMax[0];");
            if (layer is DropoutPlan)
                _w.Line($"ref float {Local(layer.Name + "Mask")} = ref worker.{layer.Name}Mask[0];");
            if (layer is ConvPlan { IsPadded: true } conv)
            {
                _w.Line($"ref float {Local(layer.Name + "Padded")} = ref worker.{layer.Name}Padded[0];");
                if (gradients && !conv.GathersInputGradient)
                    _w.Line($"ref float {Local(layer.Name + "PaddedGradient")} = ref worker.{layer.Name}PaddedGradient[0];");
            }
            if (gradients && _layers[i] is ConvEmitter { PacksOutputGradient: true })
                _w.Line($"ref float {Local(layer.Name + "PackedOutputGradient")} = ref worker.{layer.Name}PackedOutputGradient[0];");
            if (!gradients && _layers[i] is ConvEmitter { PacksKernel: true })
                _w.Line($"ref float {Local(layer.Name + "PackedKernel")} = ref worker.{layer.Name}PackedKernel[0];");
            if (gradients && layer is ConvPlan { GathersInputGradient: true })
            {
                _w.Line($"ref float {Local(layer.Name + "PaddedOutputGradient")} = ref worker.{layer.Name}PaddedOutputGradient[0];");
                _w.Line($"ref float {Local(layer.Name + "KernelByInputChannels")} = ref worker.{layer.Name}KernelByInputChannels[0];");
            }
        }
    }

    /// <summary>True when some conv with its max pool fused has a kernel for inference that skips the window positions.</summary>
    private bool AnyPooledMaxima => _layers.Any(layer => layer is ConvEmitter { HasPooledMaxima: true });

    /// <summary>
    /// True when <c>Forward</c> takes <c>training</c>: the dense layers with few units read their transposed kernel only
    /// when it has been refreshed for the batch, and a conv with its max pool fused (and a maxima kernel) records the
    /// window positions only for a backward pass.
    /// </summary>
    private bool HasTrainingFlag => _transposedKernelsSize > 0 || AnyPooledMaxima;

    /// <summary>The arguments of an inference <c>Forward</c> call.</summary>
    private string Training(bool value) => ForwardArguments(value, "-1");

    /// <summary>
    /// The arguments of <c>Forward</c> after the input: <c>training</c> (a backward pass follows) when some layer
    /// runs differently then, and the sample's dropout stream (negative: dropout off) when the network has dropout.
    /// </summary>
    private string ForwardArguments(bool training, string dropoutStream)
    {
        string arguments = "";
        if (HasTrainingFlag) arguments += $", training: {(training ? "true" : "false")}";
        if (HasDropout) arguments += $", dropoutStream: {(Trains ? dropoutStream : "-1")}";
        return arguments;
    }

    /// <summary>A ref to sample s's part of a chunk buffer whose samples are <paramref name="size"/> floats apart.</summary>
    private static string At(string local, int size) => $"ref {Types.Unsafe}.Add(ref {local}, s * {Code.Int(size)})";

    /// <summary>A span over the chunk's samples of a worker buffer.</summary>
    private static string ChunkSpan(string buffer, int size) => AsSpan($"worker.{buffer}", "0", $"count * {Code.Int(size)}");

    /// <summary><c>array.AsSpan(start, length)</c>, called as the static method it is: no <c>using</c> brings the extension into scope.</summary>
    private static string AsSpan(string array, string start, string length) => $"{Types.MemoryExtensions}.AsSpan({array}, {start}, {length})";

    /// <summary>Emits a per-sample kernel call inside a loop over the chunk's samples.</summary>
    private void PerSampleLoop(string call)
    {
        _w.Line($"for (int s = 0; s < count; s++) {call}");
    }

    private int BufferSize(int index) => index < 0 ? _plan.Input.Size : _plan.Layers[index].Output.Size;

    private void WriteForwardSequence()
    {
        var w = _w;
        w.Line("/// <summary>Runs count samples, stored back to back from input, through every layer, keeping the activations in the worker.</summary>");
        if (HasTrainingFlag)
        {
            var uses = new List<string>();
            if (_transposedKernelsSize > 0) uses.Add("the transposed kernels are fresh and faster to read");
            if (AnyPooledMaxima) uses.Add("the fused pools' arg-max positions are kept for it");
            w.Line($"// training: true inside ComputeGradients and InputGradient, where a backward pass follows: {string.Join("; ", uses)}.");
        }
        if (HasDropout)
            w.Line("// dropoutStream: the first sample's random stream in a training batch, negative for inference (dropout off).");
        string parameters = (HasTrainingFlag ? ", bool training" : "") + (HasDropout ? ", long dropoutStream" : "");
        using (w.Block($"private void Forward(Worker worker, ref float input, int count{parameters})"))
        {
            w.Line("ref float parameters = ref _parameters[0];");
            DeclareBufferRefs(gradients: false);
            for (int i = 0; i < _plan.Layers.Count; i++)
            {
                var layer = _plan.Layers[i];
                string input = Local(InputBuffer(i)), output = Local(OutputBuffer(i));
                int inSize = layer.Input.Size, outSize = layer.Output.Size;
                var fusedPool = _plan.FusedPool(i);
                string inAt = At(input, inSize);
                // A conv with its pool fused writes the pool's output and arg-max positions instead of its own output.
                string outAt = fusedPool is null
                    ? At(output, outSize)
                    : $"{At(Local(fusedPool.Name + "Output"), fusedPool.Output.Size)}, {At(Local(fusedPool.Name + "ArgMax"), fusedPool.Output.Size)}";
                string forward = fusedPool is null ? "Forward" : "ForwardPooled";
                // With a max pool fused (and short windows), inference keeps only the window maxima, with the same bits: no
                // backward pass reads their positions. The call on one sample's input, then, in either case:
                string? maximaOut = fusedPool is not null && _layers[i] is ConvEmitter { HasPooledMaxima: true }
                    ? At(Local(fusedPool.Name + "Output"), fusedPool.Output.Size)
                    : null;
                bool packs = _layers[i] is ConvEmitter { PacksKernel: true };
                string packed = packs ? $", ref {Local(layer.Name + "PackedKernel")}" : "";
                string[] ConvCall(string sampleInput) => maximaOut is null
                    ? new[] { $"{layer.Name}{forward}({sampleInput}, ref parameters, {outAt}{packed});" }
                    : new[] { $"if (training) {layer.Name}ForwardPooled({sampleInput}, ref parameters, {outAt}{packed});", $"else {layer.Name}ForwardPooledMaxima({sampleInput}, ref parameters, {maximaOut}{packed});" };
                if (packs)
                    w.Line($"{layer.Name}PackKernel(ref parameters, ref {Local(layer.Name + "PackedKernel")}); // once for the chunk's samples: the parameters may have changed since the last");
                switch (layer)
                {
                    case ConvPlan { IsPadded: true } conv:
                        string padded = At(Local(layer.Name + "Padded"), conv.Padded.Size);
                        using (w.Block("for (int s = 0; s < count; s++)"))
                        {
                            w.Line($"{layer.Name}Pad({inAt}, {padded});");
                            foreach (string line in ConvCall(padded)) w.Line(line);
                        }
                        break;
                    case ConvPlan when maximaOut is not null:
                        using (w.Block("for (int s = 0; s < count; s++)"))
                            foreach (string line in ConvCall(inAt)) w.Line(line);
                        break;
                    case DensePlan { UsesBatchKernels: true }:
                        w.Line($"{layer.Name}Forward(ref {input}, ref parameters, ref {output}, count, ref _packedKernels[{layer.Name}PackedOffset]);");
                        break;
                    case DensePlan { UsesTransposedKernel: true }:
                        w.Line($"if (training) {layer.Name}ForwardTransposed(ref {input}, ref _transposedKernels[0], ref {output}, count);");
                        if (_layers[i] is not DenseEmitter { HasForwardPair: true })
                        {
                            w.Line($"else for (int s = 0; s < count; s++) {layer.Name}Forward({inAt}, ref parameters, {outAt});");
                            break;
                        }
                        using (w.Block("else"))
                        {
                            w.Line($"// Pairs of samples read the kernel once; each sample's outputs have the bits {layer.Name}Forward gives it alone.");
                            w.Line("int s = 0;");
                            w.Line($"for (; s + 1 < count; s += 2) {layer.Name}ForwardPair({inAt}, ref parameters, {outAt});");
                            w.Line($"for (; s < count; s++) {layer.Name}Forward({inAt}, ref parameters, {outAt});");
                        }
                        break;
                    case ParametricLayerPlan:
                        PerSampleLoop($"{layer.Name}{forward}({inAt}, ref parameters, {outAt}{packed});");
                        break;
                    case MaxPoolPlan when _plan.FusedPool(i - 1) is not null:
                        w.Line($"// {layer.Name}: computed by {_plan.Layers[i - 1].Name}ForwardPooled.");
                        break;
                    case MaxPoolPlan:
                        PerSampleLoop($"{layer.Name}Forward({inAt}, {outAt}, {At(Local(layer.Name + "ArgMax"), outSize)});");
                        break;
                    case AveragePoolPlan:
                        PerSampleLoop($"{layer.Name}Forward({inAt}, {outAt});");
                        break;
                    case DropoutPlan:
                        string mask = At(Local(layer.Name + "Mask"), outSize);
                        if (Trains)
                        {
                            using (w.Block("for (int s = 0; s < count; s++)"))
                            {
                                w.Line($"if (dropoutStream >= 0) {layer.Name}Forward({inAt}, {outAt}, {mask}, new {Types.SeededRandom}(_dropoutSeed, ((dropoutStream + s) << 8) + {layer.Position}));");
                                w.Line($"else {layer.Name}ForwardIdentity({inAt}, {outAt}, {mask});");
                            }
                        }
                        else
                        {
                            w.Line("// An inference-only network: dropout never applies.");
                            PerSampleLoop($"{layer.Name}ForwardIdentity({inAt}, {outAt}, {mask});");
                        }
                        break;
                    case FlattenPlan:
                        w.Line($"// {layer.Name}: {Local(InputBuffer(i))} is read as the flat vector {layer.Output}.");
                        break;
                }
                if (layer is ParametricLayerPlan { Activation: Activation.Sigmoid or Activation.Tanh } activated)
                {
                    // A fused pool's maxima are the conv outputs it keeps: activating them is activating the conv (both rise together).
                    LayerPlan activatedLayer = (LayerPlan?)fusedPool ?? layer;
                    // The whole chunk in one call: a value's bits do not depend on the span it is in (PredictBatch = Predict).
                    w.Line($"{Types.ActivationKernels}.{activated.Activation}({AsSpan($"worker.{activatedLayer.Name}Output", "0", $"count * {Code.Int(activatedLayer.Output.Size)}")});");
                }
            }
        }
        w.Line();
    }

    /// <summary>
    /// The loss kernel for the output layer: it writes d(loss)/d(pre-activation) where the loss fuses with the
    /// activation (softmax with cross-entropy or squared error, sigmoid with binary cross-entropy), else d(loss)/d(output).
    /// </summary>
    private string LossKernel(out bool givesPreActivationGradient)
    {
        var activation = (Last as ParametricLayerPlan)?.Activation ?? Activation.None;
        givesPreActivationGradient = activation == Activation.Softmax
            || (_plan.Loss == LossFunction.BinaryCrossEntropy && activation == Activation.Sigmoid);
        return _plan.Loss switch
        {
            LossFunction.CategoricalCrossEntropy => "SoftmaxCrossEntropy",
            LossFunction.BinaryCrossEntropy => "SigmoidBinaryCrossEntropy",
            _ => activation == Activation.Softmax ? "SoftmaxMeanSquaredError" : "MeanSquaredError",
        };
    }

    private static string LossComment(string kernel) => kernel switch
    {
        "SoftmaxCrossEntropy" => "Softmax and cross-entropy together: d(loss)/d(logits) = probabilities - target.",
        "SigmoidBinaryCrossEntropy" => "Sigmoid and binary cross-entropy together: d(loss)/d(pre-activation) = (output - target) / units.",
        "SoftmaxMeanSquaredError" => "Squared error of the softmax, through its Jacobian to d(loss)/d(logits).",
        _ => "Squared error: d(loss)/d(output) = 2 (output - target) / units.",
    };

    private void WriteBackwardSequence()
    {
        var w = _w;
        if (!Trains) return;
        w.Line("/// <summary>");
        w.Line("/// Back-propagates count samples after <see cref=\"Forward\"/>: adds d(loss * scale)/d(parameters) to");
        w.Line("/// <paramref name=\"gradients\"/> and, when asked, writes d(loss * scale)/d(input). Returns the samples' summed");
        w.Line("/// loss against <paramref name=\"targets\"/> (OutputSize per sample), or against <paramref name=\"labels\"/> when there are none.");
        if (BatchGradientLayers.Any())
            w.Line($"/// {string.Join(" and ", BatchGradientLayers.Select(d => d.Name))}'s kernel gradients are not among them: Reduce computes them from the whole batch.");
        w.Line("/// </summary>");
        using (w.Block($"private double Backward(Worker worker, ref float input, {Types.ReadOnlySpan}<int> labels, {Types.ReadOnlySpan}<float> targets, int count, float scale, ref float gradients, ref float inputGradient, bool computeInputGradient)"))
        {
            w.Line("ref float parameters = ref _parameters[0];");
            if (_transposedKernelsSize > 0)
            {
                w.Line("ref float transposedKernels = ref _transposedKernels[0];");
                w.Line("ref float transposedGradients = ref worker.TransposedGradients[0];");
            }
            DeclareBufferRefs(gradients: true);
            int lastIndex = _plan.Layers.Count - 1;
            string lastBuffer = OutputBuffer(lastIndex);
            string lastOut = AsSpan($"worker.{lastBuffer}", "s * OutputSize", "OutputSize"), lastGrad = AsSpan($"worker.{lastBuffer}Gradient", "s * OutputSize", "OutputSize");
            string kernel = LossKernel(out bool preActivation);
            w.Line($"// {LossComment(kernel)}");
            w.Line("double loss = 0;");
            w.Line("for (int s = 0; s < count; s++)");
            w.Line("{");
            w.Indent();
            w.Line("loss += targets.IsEmpty");
            w.Line($"    ? {Types.OutputKernels}.{kernel}({lastOut}, labels[s], scale, {lastGrad})");
            w.Line($"    : {Types.OutputKernels}.{kernel}({lastOut}, targets.Slice(s * OutputSize, OutputSize), scale, {lastGrad});");
            w.Outdent();
            w.Line("}");
            for (int i = lastIndex; i >= 0; i--)
            {
                var layer = _plan.Layers[i];
                string input = Local(InputBuffer(i));
                string outputGradient = Local(OutputBuffer(i) + "Gradient");
                string inputGradient = i == 0 ? "inputGradient" : Local(OutputBuffer(i - 1) + "Gradient");
                int inSize = layer.Input.Size, outSize = layer.Output.Size;
                string inAt = At(input, inSize), outGradAt = At(outputGradient, outSize), inGradAt = At(inputGradient, inSize);
                bool inputGradientForTraining = i > FirstParametric;
                w.Line();
                w.Line($"// {_layers[i].Describe()}");
                switch (layer)
                {
                    case DensePlan { UsesBatchKernels: true } or DensePlan { UsesTransposedKernel: true }:
                        var batched = (DensePlan)layer;
                        if (!(i == lastIndex && preActivation))
                            EmitActivationBackward(batched);
                        var (gradientTarget, kernelSource) = batched.UsesTransposedKernel ? ("transposedGradients", "transposedKernels") : ("gradients", "parameters");
                        if (batched.UsesBatchKernels)
                            w.Line($"{layer.Name}BackwardBias(ref {outputGradient}, ref gradients, count); // the kernel's gradient: from the whole batch, in Reduce");
                        else
                            w.Line($"{layer.Name}BackwardWeights(ref {input}, ref {outputGradient}, ref {gradientTarget}, count);");
                        EmitInputGradientCall(inputGradientForTraining, $"{layer.Name}BackwardInput(ref {outputGradient}, ref {kernelSource}, ref {inputGradient}, count);");
                        break;
                    case ParametricLayerPlan parametric:
                        if (!(i == lastIndex && preActivation) && !_plan.ActivatesAtPool(i))
                            EmitActivationBackward(parametric);
                        if (!_plan.ActivatesAtPool(i))
                            PerSampleLoop(WeightGradientCall(layer, i, outGradAt));
                        if (layer is ConvPlan { GathersInputGradient: true })
                        {
                            string packed = Local(layer.Name + "KernelByInputChannels");
                            EmitPreparedInputGradientLoop(inputGradientForTraining, $"{layer.Name}PackKernelByInputChannels(ref parameters, ref {packed}); // once for the chunk's samples",
                                $"{layer.Name}BackwardInput({outGradAt}, ref parameters, {inGradAt}, ref {Local(layer.Name + "PaddedOutputGradient")}, ref {packed});");
                        }
                        else if (layer is ConvPlan { IsPadded: true } conv)
                        {
                            string paddedGradient = At(Local(layer.Name + "PaddedGradient"), conv.Padded.Size);
                            EmitInputGradientLoop(inputGradientForTraining,
                                $"{layer.Name}BackwardInput({outGradAt}, ref parameters, {paddedGradient});",
                                $"{layer.Name}Unpad({paddedGradient}, {inGradAt});");
                        }
                        else
                        {
                            EmitInputGradientLoop(inputGradientForTraining, $"{layer.Name}BackwardInput({outGradAt}, ref parameters, {inGradAt});");
                        }
                        break;
                    case MaxPoolPlan:
                        if (_plan.ActivatesAtPool(i - 1))
                        {
                            w.Line($"// {_plan.Layers[i - 1].Name}'s activation derivative, taken at the window maxima: the only conv outputs that get a gradient.");
                            EmitActivationBackward(((ParametricLayerPlan)_plan.Layers[i - 1]).Activation, layer.Name, outSize);
                        }
                        string poolBackward = $"{layer.Name}Backward({outGradAt}, {At(Local(layer.Name + "ArgMax"), outSize)}, {inGradAt});";
                        if (i > 0 && _layers[i - 1] is ConvEmitter { HasPooledWeightGradient: true })
                        {
                            var conv = _plan.Layers[i - 1];
                            w.Line($"// {conv.Name}'s weight gradient reads {layer.Name}'s gradient and arg-max positions: its own output gradient is only written for its input gradient.");
                            PerSampleLoop($"{conv.Name}BackwardWeightsPooled({WeightGradientSource(conv, i - 1)}, {outGradAt}, ref gradients, {At(Local(layer.Name + "ArgMax"), outSize)});");
                            EmitInputGradientLoop(i - 1 > FirstParametric, poolBackward);
                        }
                        else if (_plan.ActivatesAtPool(i - 1))
                        {
                            var conv = _plan.Layers[i - 1];
                            w.Line($"// Each sample's conv gradient goes from {layer.Name} to {conv.Name}'s weight gradient while it is in cache: the chunk's would not fit in L2.");
                            using (w.Block("for (int s = 0; s < count; s++)"))
                            {
                                w.Line(poolBackward);
                                w.Line(WeightGradientCall(conv, i - 1, inGradAt));
                            }
                        }
                        else
                        {
                            EmitInputGradientLoop(inputGradientForTraining, poolBackward);
                        }
                        break;
                    case AveragePoolPlan:
                        EmitInputGradientLoop(inputGradientForTraining, $"{layer.Name}Backward({outGradAt}, {inGradAt});");
                        break;
                    case DropoutPlan:
                        EmitInputGradientLoop(inputGradientForTraining, $"{layer.Name}Backward({outGradAt}, {At(Local(layer.Name + "Mask"), outSize)}, {inGradAt});");
                        break;
                    case FlattenPlan:
                        if (i == 0)
                            EmitInputGradientCall(false, $"{Types.MemoryMarshal}.CreateSpan(ref {outputGradient}, count * InputSize).CopyTo({Types.MemoryMarshal}.CreateSpan(ref inputGradient, count * InputSize));");
                        else
                            w.Line("// Flatten shares its input's buffers: nothing to do.");
                        break;
                }
            }
            w.Line("return loss;");
        }
        w.Line();
    }

    /// <summary>Sample s's weight-gradient call of a conv or per-sample dense layer, which adds to <c>gradients</c>.</summary>
    private string WeightGradientCall(LayerPlan layer, int index, string outGradAt) =>
        $"{layer.Name}BackwardWeights({WeightGradientSource(layer, index)}, {outGradAt}, ref gradients" +
        (_layers[index] is ConvEmitter { PacksOutputGradient: true } ? $", ref {Local(layer.Name + "PackedOutputGradient")});" : ");");

    /// <summary>Sample s's input as layer <paramref name="index"/>'s weight gradient reads it: the zero-bordered copy of a padded conv's.</summary>
    private string WeightGradientSource(LayerPlan layer, int index) =>
        layer is ConvPlan { IsPadded: true } padded ? At(Local(layer.Name + "Padded"), padded.Padded.Size) : At(Local(InputBuffer(index)), layer.Input.Size);

    /// <summary>Per-sample input-gradient calls in a loop over the chunk, guarded like <see cref="EmitInputGradientCall"/>.</summary>
    private void EmitInputGradientLoop(bool neededForTraining, params string[] calls) => EmitPreparedInputGradientLoop(neededForTraining, null, calls);

    /// <summary>The input-gradient calls per sample, after <paramref name="prepare"/> (once for the chunk) when there is one.</summary>
    private void EmitPreparedInputGradientLoop(bool neededForTraining, string? prepare, params string[] calls)
    {
        var w = _w;
        IDisposable? guard = neededForTraining ? null : w.Block("if (computeInputGradient)");
        if (prepare is not null) w.Line(prepare);
        if (calls.Length == 1)
        {
            PerSampleLoop(calls[0]);
        }
        else
        {
            using (w.Block("for (int s = 0; s < count; s++)"))
                foreach (string call in calls) w.Line(call);
        }
        guard?.Dispose();
    }

    /// <summary>Turns d(loss)/d(output) into d(loss)/d(pre-activation) of the chunk, in place, from the layer's output.</summary>
    private void EmitActivationBackward(ParametricLayerPlan layer) =>
        EmitActivationBackward(layer.Activation, layer.Name, layer.Output.Size);

    /// <summary>The activation derivative from the outputs and output gradients of layer <paramref name="name"/>.</summary>
    private void EmitActivationBackward(Activation activation, string name, int size)
    {
        string kernel = activation switch
        {
            Activation.ReLU => "ReluBackward",
            Activation.LeakyReLU => "LeakyReluBackward",
            Activation.Sigmoid => "SigmoidBackward",
            Activation.Tanh => "TanhBackward",
            _ => "",
        };
        if (kernel.Length > 0)
            _w.Line($"{Types.ActivationKernels}.{kernel}({ChunkSpan(name + "Output", size)}, {ChunkSpan(name + "OutputGradient", size)});");
    }

    /// <summary>Input-gradient calls, guarded by computeInputGradient where training does not need them (the first layers).</summary>
    private void EmitInputGradientCall(bool neededForTraining, params string[] calls)
    {
        if (neededForTraining)
        {
            foreach (string call in calls) _w.Line(call);
        }
        else if (calls.Length == 1)
        {
            _w.Line($"if (computeInputGradient) {calls[0]}");
        }
        else
        {
            using (_w.Block("if (computeInputGradient)"))
                foreach (string call in calls) _w.Line(call);
        }
    }

    private void WriteLayer(LayerEmitter layer)
    {
        var w = _w;
        w.Line("// ------------------------------------------------------------------------------------------");
        w.Line($"// {layer.Describe()}");
        w.Line("// ------------------------------------------------------------------------------------------");
        w.Line();
        layer.EmitConstants(w);
        w.Line();
        layer.EmitMethods(w);
    }
}
