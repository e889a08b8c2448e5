// Stubs of UnityEngine.Awaitable, Awaitable<T> and AwaitableCompletionSource(<T>), which Unity added in
// 2023.1 (UnityCsReference Runtime/Export/Scripting/Awaitable*.cs, AwaitableCompletionSource.cs):
// compiled only with UNITY_2023_1_OR_NEWER, as code using them must be. Managed only: a continuation
// runs on the thread that completes the awaitable; MainThreadAsync/NextFrameAsync resume when the test
// calls UnityStubs.Awaitables.RunMainThread() / NextFrame(); BackgroundThreadAsync uses the thread pool.
// Test scaffolding only.
#if UNITY_2023_1_OR_NEWER
using System;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace UnityEngine
{
    [AsyncMethodBuilder(typeof(AwaitableAsyncMethodBuilder))]
    public partial class Awaitable : IEnumerator
    {
        readonly object m_Gate = new object();
        bool m_Done;
        Exception m_Error;
        Action m_Continuation;

        internal Awaitable() { }

        public bool IsCompleted { get { lock (m_Gate) return m_Done; } }

        public void Cancel() => TryComplete(new OperationCanceledException());

        public Awaiter GetAwaiter() => new Awaiter(this);

        public static MainThreadAwaitable MainThreadAsync() => new MainThreadAwaitable();

        public static BackgroundThreadAwaitable BackgroundThreadAsync() => new BackgroundThreadAwaitable();

        public static Awaitable NextFrameAsync(CancellationToken cancellationToken = default)
        {
            var a = new Awaitable();
            UnityStubs.Awaitables.AddNextFrame(a);
            if (cancellationToken.CanBeCanceled)
                cancellationToken.Register(() => a.Cancel());
            return a;
        }

        internal bool TryComplete(Exception error)
        {
            Action k;
            lock (m_Gate)
            {
                if (m_Done)
                    return false;
                m_Done = true;
                m_Error = error;
                k = m_Continuation;
                m_Continuation = null;
            }
            k?.Invoke();
            return true;
        }

        internal void OnCompleted(Action continuation)
        {
            lock (m_Gate)
            {
                if (!m_Done)
                {
                    m_Continuation = continuation;
                    return;
                }
            }
            continuation();
        }

        internal void PropagateException()
        {
            Exception error;
            lock (m_Gate) error = m_Error;
            if (error != null)
                ExceptionDispatchInfo.Capture(error).Throw();
        }

        object IEnumerator.Current => null;

        bool IEnumerator.MoveNext() => !IsCompleted;

        void IEnumerator.Reset() { }

        public struct Awaiter : INotifyCompletion
        {
            readonly Awaitable _awaited;

            public Awaiter(Awaitable awaited) => _awaited = awaited;

            public void OnCompleted(Action continuation) => _awaited.OnCompleted(continuation);

            public bool IsCompleted => _awaited.IsCompleted;

            public void GetResult() => _awaited.PropagateException();
        }

        public struct AwaitableAsyncMethodBuilder
        {
            AwaitableCompletionSource m_Source;

            public static AwaitableAsyncMethodBuilder Create() => default;

            public Awaitable Task => (m_Source ??= new AwaitableCompletionSource()).Awaitable;

            public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
            {
                m_Source ??= new AwaitableCompletionSource();
                stateMachine.MoveNext();
            }

            public void SetStateMachine(IAsyncStateMachine stateMachine) { }

            public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
                where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
            {
                IAsyncStateMachine boxed = stateMachine;
                awaiter.OnCompleted(boxed.MoveNext);
            }

            public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
                where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
            {
                IAsyncStateMachine boxed = stateMachine;
                awaiter.UnsafeOnCompleted(boxed.MoveNext);
            }

            public void SetException(Exception e) => m_Source.SetException(e);

            public void SetResult() => m_Source.SetResult();
        }
    }

    [AsyncMethodBuilder(typeof(Awaitable.AwaitableAsyncMethodBuilder<>))]
    public class Awaitable<T>
    {
        internal readonly Awaitable m_Awaitable = new Awaitable();
        internal T m_Result;

        internal Awaitable() { }

        public void Cancel() => m_Awaitable.Cancel();

        public Awaiter GetAwaiter() => new Awaiter(this);

        public struct Awaiter : INotifyCompletion
        {
            readonly Awaitable<T> _coroutine;

            public Awaiter(Awaitable<T> coroutine) => _coroutine = coroutine;

            public void OnCompleted(Action continuation) => _coroutine.m_Awaitable.OnCompleted(continuation);

            public bool IsCompleted => _coroutine.m_Awaitable.IsCompleted;

            public T GetResult()
            {
                _coroutine.m_Awaitable.PropagateException();
                return _coroutine.m_Result;
            }
        }
    }

    public partial class Awaitable
    {
        public struct AwaitableAsyncMethodBuilder<T>
        {
            AwaitableCompletionSource<T> m_Source;

            public static AwaitableAsyncMethodBuilder<T> Create() => default;

            public Awaitable<T> Task => (m_Source ??= new AwaitableCompletionSource<T>()).Awaitable;

            public void SetResult(T value) => m_Source.SetResult(value);

            public void SetException(Exception e) => m_Source.SetException(e);

            public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
            {
                m_Source ??= new AwaitableCompletionSource<T>();
                stateMachine.MoveNext();
            }

            public void SetStateMachine(IAsyncStateMachine stateMachine) { }

            public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
                where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine
            {
                IAsyncStateMachine boxed = stateMachine;
                awaiter.OnCompleted(boxed.MoveNext);
            }

            public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
                where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
            {
                IAsyncStateMachine boxed = stateMachine;
                awaiter.UnsafeOnCompleted(boxed.MoveNext);
            }
        }
    }

    public struct MainThreadAwaitable : INotifyCompletion
    {
        public MainThreadAwaitable GetAwaiter() => this;

        public bool IsCompleted => Thread.CurrentThread.ManagedThreadId == UnityStubs.Engine.MainThreadId;

        public void GetResult() { }

        public void OnCompleted(Action continuation) => UnityStubs.Awaitables.PostToMainThread(continuation);
    }

    public struct BackgroundThreadAwaitable : INotifyCompletion
    {
        public BackgroundThreadAwaitable GetAwaiter() => this;

        public bool IsCompleted => Thread.CurrentThread.ManagedThreadId != UnityStubs.Engine.MainThreadId;

        public void GetResult() { }

        public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(_ => continuation());
    }

    public class AwaitableCompletionSource
    {
        public Awaitable Awaitable { get; private set; } = new Awaitable();

        public void SetResult() { if (!TrySetResult()) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public void SetCanceled() { if (!TrySetCanceled()) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public void SetException(Exception exception) { if (!TrySetException(exception)) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public bool TrySetResult() => Awaitable.TryComplete(null);

        public bool TrySetCanceled() => Awaitable.TryComplete(new OperationCanceledException());

        public bool TrySetException(Exception exception) => Awaitable.TryComplete(exception);

        public void Reset() => Awaitable = new Awaitable();
    }

    public class AwaitableCompletionSource<T>
    {
        public Awaitable<T> Awaitable { get; private set; } = new Awaitable<T>();

        public void SetResult(in T value) { if (!TrySetResult(value)) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public void SetCanceled() { if (!TrySetCanceled()) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public void SetException(Exception exception) { if (!TrySetException(exception)) throw new InvalidOperationException("Can't raise completion of the same Awaitable twice"); }

        public bool TrySetResult(in T value)
        {
            if (Awaitable.m_Awaitable.IsCompleted)
                return false;
            Awaitable.m_Result = value;
            return Awaitable.m_Awaitable.TryComplete(null);
        }

        public bool TrySetCanceled() => Awaitable.m_Awaitable.TryComplete(new OperationCanceledException());

        public bool TrySetException(Exception exception) => Awaitable.m_Awaitable.TryComplete(exception);

        public void Reset() => Awaitable = new Awaitable<T>();
    }
}
#endif
