// A zero-filled float buffer for large, long-lived arrays (KV caches): 2 MiB aligned and, on Linux, advised
// to use transparent huge pages, which cuts TLB misses when attention streams through hundreds of MB.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ss {

class HugeBuffer {
 public:
  HugeBuffer() = default;
  explicit HugeBuffer(size_t floats) : size_(floats) {
    if (floats == 0) return;
    constexpr size_t kAlign = size_t{1} << 21;
    const size_t bytes = (floats * sizeof(float) + kAlign - 1) / kAlign * kAlign;
    data_ = static_cast<float*>(std::aligned_alloc(kAlign, bytes));
    if (data_ == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(data_, bytes, MADV_HUGEPAGE);  // advisory: failure just means small pages
#endif
    std::memset(data_, 0, bytes);
  }
  ~HugeBuffer() { std::free(data_); }
  HugeBuffer(HugeBuffer&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  HugeBuffer& operator=(HugeBuffer&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = other.data_;
      size_ = other.size_;
      other.data_ = nullptr;
      other.size_ = 0;
    }
    return *this;
  }
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }
  float& operator[](size_t i) { return data_[i]; }
  const float& operator[](size_t i) const { return data_[i]; }
  float* begin() { return data_; }
  float* end() { return data_ + size_; }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ss
