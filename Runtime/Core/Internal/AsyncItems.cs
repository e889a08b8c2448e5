#nullable enable
using System;
using System.Threading;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    /// <summary><see cref="MainLoop.RunAsync{T}(Func{CancellationToken, UniTask{T}}, CancellationToken)"/>.</summary>
    internal sealed class AsyncFuncItem<T> : AsyncWorkItem<T>
    {
        private Func<CancellationToken, UniTask<T>>? func;
        private UniTask<T>.Awaiter awaiter;

        internal static AsyncFuncItem<T> Rent(Func<CancellationToken, UniTask<T>> func)
        {
            var item = ItemPool<AsyncFuncItem<T>>.Rent();
            item.func = func;
            return item;
        }

        protected override bool Begin(CancellationToken token)
        {
            awaiter = func!(token).GetAwaiter();
            return awaiter.IsCompleted;
        }

        protected override void Subscribe(Action continuation) => awaiter.UnsafeOnCompleted(continuation);

        protected override T End()
        {
            var a = awaiter;
            awaiter = default;
            return a.GetResult();
        }

        protected override void ClearDelegate()
        {
            func = null;
            awaiter = default;
        }

        protected override void ReturnToPool() => ItemPool<AsyncFuncItem<T>>.Return(this);

        internal override string Describe() => ActionItem.DescribeDelegate(func) + " (async)";
    }

    /// <summary><see cref="MainLoop.RunAsync(Func{CancellationToken, UniTask}, CancellationToken)"/>.</summary>
    internal sealed class AsyncActionItem : AsyncWorkItem<AsyncUnit>
    {
        private Func<CancellationToken, UniTask>? func;
        private UniTask.Awaiter awaiter;

        internal static AsyncActionItem Rent(Func<CancellationToken, UniTask> func)
        {
            var item = ItemPool<AsyncActionItem>.Rent();
            item.func = func;
            return item;
        }

        protected override bool Begin(CancellationToken token)
        {
            awaiter = func!(token).GetAwaiter();
            return awaiter.IsCompleted;
        }

        protected override void Subscribe(Action continuation) => awaiter.UnsafeOnCompleted(continuation);

        protected override AsyncUnit End()
        {
            var a = awaiter;
            awaiter = default;
            a.GetResult();
            return AsyncUnit.Default;
        }

        protected override void ClearDelegate()
        {
            func = null;
            awaiter = default;
        }

        protected override void ReturnToPool() => ItemPool<AsyncActionItem>.Return(this);

        internal override string Describe() => ActionItem.DescribeDelegate(func) + " (async)";
    }
}
