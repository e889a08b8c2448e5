using System;
using System.Threading;
using Cysharp.Threading.Tasks;
using Unity.Collections;
using Unity.Jobs;
using UnityEngine;

namespace LoopBridge.Samples.JobSystemResults
{
    /// <summary>
    /// Each frame an <see cref="IJobParallelFor"/> computes a wave of heights on Unity's job workers; the loop's
    /// JobHandle bridge brings the result back to the main thread, where it moves a row of cubes. The job's
    /// NativeArray is disposed in a <c>finally</c>, which is safe on every path: the bridge has always called
    /// <c>JobHandle.Complete()</c> before the await returns or throws (completed, cancelled, or loop closed).
    /// </summary>
    public sealed class JobSystemResults : MonoBehaviour
    {
        [SerializeField] int cubeCount = 32;

        Transform[] _cubes;

        struct WaveJob : IJobParallelFor
        {
            public float Phase;
            [WriteOnly] public NativeArray<float> Heights;

            public void Execute(int index) => Heights[index] = (float)Math.Sin(Phase + index * 0.35);
        }

        void Start()
        {
            _cubes = new Transform[cubeCount];
            for (var i = 0; i < cubeCount; i++)
            {
                var cube = GameObject.CreatePrimitive(PrimitiveType.Cube).transform;
                cube.SetParent(transform, false);
                cube.localPosition = new Vector3(i * 1.2f, 0f, 0f);
                _cubes[i] = cube;
            }

            // Owner-scoped: destroying this component cancels the work; leaving play mode closes the loop and
            // ends it with LoopClosedException. Either way the finally below runs on the main thread.
            var loop = UnityMainLoop.Main;
            loop.RunAsync(this, ct => Animate(loop, ct)).OnCompleted(outcome =>
            {
                if (outcome.IsFaulted)
                    Debug.LogException(outcome.Exception);
                else
                    Debug.Log($"wave stopped: {(outcome.IsClosed ? "loop closed" : outcome.Status.ToString())}");
            });
        }

        async UniTask Animate(MainLoop loop, CancellationToken ct)
        {
            while (true)
            {
                var heights = new NativeArray<float>(cubeCount, Allocator.TempJob);
                try
                {
                    var job = new WaveJob { Phase = Time.frameCount * 0.1f, Heights = heights }.Schedule(cubeCount, 8);

                    // Checked once per tick on the main thread; Complete() runs there, then the await returns.
                    // The reader runs on the main thread too, after Complete(): here it copies the heights out.
                    var result = await loop.WhenCompleted(job, heights, h => h.ToArray(), ct);
                    for (var i = 0; i < _cubes.Length; i++)
                        _cubes[i].localPosition = new Vector3(i * 1.2f, result[i], 0f);
                }
                finally
                {
                    // The job has been completed on every path (see the class summary): disposing is safe.
                    heights.Dispose();
                }

                await loop.NextFrame();
            }
        }
    }
}
