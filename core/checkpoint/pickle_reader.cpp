#include "core/checkpoint/pickle_reader.h"

#include "core/base/error.h"

#include <torch/torch.h>

#include <cstring>
#include <map>
#include <unordered_map>

namespace sdm {

namespace {

using Kind = PickleValue::Kind;

PickleValue make_int(int64_t v) { return {.kind = Kind::Int, .integer = v}; }
PickleValue make_bool(bool v) { return {.kind = Kind::Bool, .integer = v}; }
PickleValue make_string(std::string s) { return {.kind = Kind::String, .text = std::move(s)}; }
PickleValue make_sequence(Kind kind, std::vector<PickleValue> items = {}) {
  return {.kind = kind, .items = std::make_shared<std::vector<PickleValue>>(std::move(items))};
}

c10::ScalarType storage_dtype(const std::string& type_name) {
  static const std::map<std::string, c10::ScalarType> types = {
      {"torch.FloatStorage", torch::kFloat},     {"torch.HalfStorage", torch::kHalf},
      {"torch.BFloat16Storage", torch::kBFloat16}, {"torch.DoubleStorage", torch::kDouble},
      {"torch.LongStorage", torch::kLong},       {"torch.IntStorage", torch::kInt},
      {"torch.ShortStorage", torch::kShort},     {"torch.CharStorage", torch::kChar},
      {"torch.ByteStorage", torch::kByte},       {"torch.BoolStorage", torch::kBool},
      {"torch.UntypedStorage", torch::kByte},
  };
  auto it = types.find(type_name);
  if (it == types.end()) throw Error("unsupported storage type " + type_name);
  return it->second;
}

class Unpickler {
public:
  Unpickler(const uint8_t* data, size_t size, const StorageLoader& load_storage)
      : begin_(data), pos_(data), end_(data + size), load_storage_(load_storage) {}

  PickleValue run() {
    while (true) {
      const size_t offset = pos_ - begin_;
      const uint8_t op = read_u8();
      if (op == '.') break;  // STOP
      try {
        execute(op);
      } catch (const Error& e) {
        throw Error(std::string(e.what()) + " (data.pkl: opcode 0x" + hex(op) + " at byte " + std::to_string(offset) + ")");
      }
    }
    if (stack_.size() != 1) throw Error("pickle ended with " + std::to_string(stack_.size()) + " values on its stack");
    return stack_.back();
  }

private:
  static std::string hex(uint8_t v) {
    const char* digits = "0123456789abcdef";
    return {digits[v >> 4], digits[v & 15]};
  }

  void need(size_t n) const {
    if (static_cast<size_t>(end_ - pos_) < n) throw Error("pickle data ends early");
  }
  uint8_t read_u8() {
    need(1);
    return *pos_++;
  }
  uint64_t read_le(size_t n) {
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{pos_[i]} << (8 * i);
    pos_ += n;
    return v;
  }
  std::string read_bytes(uint64_t n) {
    if (n > static_cast<uint64_t>(end_ - pos_)) throw Error("pickle data ends early");
    std::string s(reinterpret_cast<const char*>(pos_), n);
    pos_ += n;
    return s;
  }
  std::string read_line() {
    const uint8_t* nl = static_cast<const uint8_t*>(std::memchr(pos_, '\n', end_ - pos_));
    if (!nl) throw Error("pickle data ends early");
    std::string s(reinterpret_cast<const char*>(pos_), nl - pos_);
    pos_ = nl + 1;
    return s;
  }

  PickleValue pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) throw Error("pickle stack underflow");
    PickleValue v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  PickleValue& top() {
    if (stack_.empty()) throw Error("pickle stack underflow");
    return stack_.back();
  }
  std::vector<PickleValue> pop_to_mark() {
    if (marks_.empty()) throw Error("pickle MARK missing");
    const size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<PickleValue> items(std::make_move_iterator(stack_.begin() + mark), std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return items;
  }
  void memoize(uint64_t index) { memo_[index] = top(); }
  PickleValue recall(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) throw Error("pickle refers to memo entry " + std::to_string(index) + " that was never stored");
    return it->second;
  }
  void set_items(PickleValue& dict, std::vector<PickleValue>&& pairs) {
    if (!dict.is(Kind::Dict)) throw Error("pickle sets items on a value that is not a dict");
    if (pairs.size() % 2) throw Error("pickle SETITEMS with an odd number of values");
    for (auto& v : pairs) dict.items->push_back(std::move(v));
  }

  void execute(uint8_t op) {
    switch (op) {
      case 0x80: read_u8(); break;             // PROTO
      case 0x95: read_le(8); break;            // FRAME: framing is only a read-ahead hint
      case '(': marks_.push_back(stack_.size()); break;
      case '}': stack_.push_back(make_sequence(Kind::Dict)); break;
      case ']': stack_.push_back(make_sequence(Kind::List)); break;
      case ')': stack_.push_back(make_sequence(Kind::Tuple)); break;
      case 't': stack_.push_back(make_sequence(Kind::Tuple, pop_to_mark())); break;
      case 'l': stack_.push_back(make_sequence(Kind::List, pop_to_mark())); break;
      case 0x85: case 0x86: case 0x87: {       // TUPLE1..3
        std::vector<PickleValue> items(op - 0x84);
        for (auto it = items.rbegin(); it != items.rend(); ++it) *it = pop();
        stack_.push_back(make_sequence(Kind::Tuple, std::move(items)));
        break;
      }
      case 'q': memoize(read_le(1)); break;   // BINPUT
      case 'r': memoize(read_le(4)); break;   // LONG_BINPUT
      case 0x94: memoize(memo_.size()); break; // MEMOIZE
      case 'h': stack_.push_back(recall(read_le(1))); break;
      case 'j': stack_.push_back(recall(read_le(4))); break;
      case 'K': stack_.push_back(make_int(static_cast<int64_t>(read_le(1)))); break;
      case 'M': stack_.push_back(make_int(static_cast<int64_t>(read_le(2)))); break;
      case 'J': stack_.push_back(make_int(static_cast<int32_t>(read_le(4)))); break;
      case 0x8a: {                              // LONG1
        const uint8_t n = read_u8();
        if (n > 8) throw Error("pickle integer wider than 64 bits");
        uint64_t v = n ? read_le(n) : 0;
        if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
        stack_.push_back(make_int(static_cast<int64_t>(v)));
        break;
      }
      case 'G': {                               // BINFLOAT, big-endian
        need(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | pos_[i];
        pos_ += 8;
        double v;
        std::memcpy(&v, &bits, 8);
        stack_.push_back({.kind = Kind::Float, .real = v});
        break;
      }
      case 'X': stack_.push_back(make_string(read_bytes(read_le(4)))); break;  // BINUNICODE
      case 0x8c: stack_.push_back(make_string(read_bytes(read_le(1)))); break; // SHORT_BINUNICODE
      case 0x8d: stack_.push_back(make_string(read_bytes(read_le(8)))); break; // BINUNICODE8
      case 'T': stack_.push_back(make_string(read_bytes(read_le(4)))); break;  // BINSTRING
      case 'U': stack_.push_back(make_string(read_bytes(read_le(1)))); break;  // SHORT_BINSTRING
      case 'B': stack_.push_back(make_string(read_bytes(read_le(4)))); break;  // BINBYTES
      case 'C': stack_.push_back(make_string(read_bytes(read_le(1)))); break;  // SHORT_BINBYTES
      case 'N': stack_.push_back({}); break;
      case 0x88: stack_.push_back(make_bool(true)); break;
      case 0x89: stack_.push_back(make_bool(false)); break;
      case 'c': {                               // GLOBAL
        std::string module = read_line();
        std::string name = read_line();
        stack_.push_back({.kind = Kind::Global, .text = module + "." + name});
        break;
      }
      case 0x93: {                              // STACK_GLOBAL
        auto name = pop(), module = pop();
        if (!name.is(Kind::String) || !module.is(Kind::String)) throw Error("pickle STACK_GLOBAL without names");
        stack_.push_back({.kind = Kind::Global, .text = module.text + "." + name.text});
        break;
      }
      case 'R': case 0x81: {                    // REDUCE, NEWOBJ
        auto args = pop(), callable = pop();
        stack_.push_back(reduce(callable, args));
        break;
      }
      case 'b': {                               // BUILD: the state of OrderedDicts and tensors is not needed
        pop();
        auto& target = top();
        if (!target.is(Kind::Dict) && !target.is(Kind::Tensor)) throw Error("pickle BUILD on an unsupported object");
        break;
      }
      case 's': {                               // SETITEM
        auto value = pop(), key = pop();
        std::vector<PickleValue> pair{std::move(key), std::move(value)};
        set_items(top(), std::move(pair));
        break;
      }
      case 'u': {                               // SETITEMS
        auto pairs = pop_to_mark();
        set_items(top(), std::move(pairs));
        break;
      }
      case 'a': {                               // APPEND
        auto value = pop();
        auto& list = top();
        if (!list.is(Kind::List)) throw Error("pickle APPEND to a value that is not a list");
        list.items->push_back(std::move(value));
        break;
      }
      case 'e': {                               // APPENDS
        auto values = pop_to_mark();
        auto& list = top();
        if (!list.is(Kind::List)) throw Error("pickle APPENDS to a value that is not a list");
        for (auto& v : values) list.items->push_back(std::move(v));
        break;
      }
      case 'Q': stack_.push_back(persistent_load(pop())); break;  // BINPERSID
      default: throw Error("unknown pickle opcode (corrupt data.pkl?)");
    }
  }

  PickleValue persistent_load(const PickleValue& pid) {
    const auto* f = pid.is(Kind::Tuple) ? pid.items.get() : nullptr;
    if (!f || f->size() != 5 || !(*f)[0].is(Kind::String) || (*f)[0].text != "storage" || !(*f)[1].is(Kind::Global) ||
        !(*f)[2].is(Kind::String) || !(*f)[4].is(Kind::Int) || (*f)[4].integer < 0)
      throw Error("unsupported persistent id (not a tensor storage)");
    const std::string& key = (*f)[2].text;
    auto it = storages_.find(key);
    if (it == storages_.end()) {
      const auto dtype = storage_dtype((*f)[1].text);
      int64_t numel = (*f)[4].integer;
      it = storages_.emplace(key, load_storage_(key, dtype, numel)).first;
    }
    return {.kind = Kind::Storage, .tensor = it->second};
  }

  static std::vector<int64_t> int_tuple(const PickleValue& v, const char* what) {
    if (!v.is(Kind::Tuple)) throw Error(std::string("tensor ") + what + " is not a tuple");
    std::vector<int64_t> ints;
    for (const auto& item : *v.items) {
      if (!item.is(Kind::Int) || item.integer < 0) throw Error(std::string("tensor ") + what + " holds a non-integer or negative value");
      ints.push_back(item.integer);
    }
    return ints;
  }

  PickleValue reduce(const PickleValue& callable, const PickleValue& args) {
    if (!callable.is(Kind::Global)) throw Error("pickle REDUCE of something that is not a class or function");
    if (!args.is(Kind::Tuple)) throw Error("pickle REDUCE without an argument tuple");
    const auto& a = *args.items;
    const std::string& name = callable.text;
    if (name == "collections.OrderedDict") {
      if (!a.empty()) throw Error("OrderedDict built with arguments is not supported");
      return make_sequence(Kind::Dict);
    }
    if (name == "torch._utils._rebuild_tensor_v2") {
      if (a.size() < 4 || !a[0].is(Kind::Storage) || !a[1].is(Kind::Int)) throw Error("malformed tensor record");
      const auto& storage = a[0].tensor;
      const int64_t offset = a[1].integer;
      auto sizes = int_tuple(a[2], "size");
      auto strides = int_tuple(a[3], "stride");
      if (sizes.size() != strides.size()) throw Error("tensor size and stride differ in length");
      int64_t last = offset;
      bool empty = false;
      for (size_t d = 0; d < sizes.size(); ++d) {
        if (sizes[d] == 0) empty = true;
        else if (sizes[d] > storage.numel() || strides[d] > storage.numel()) throw Error("tensor extends beyond its storage");
        else last += (sizes[d] - 1) * strides[d];
      }
      if (offset < 0 || (!empty && last >= storage.numel()))
        throw Error("tensor extends beyond its storage (" + std::to_string(storage.numel()) + " elements)");
      PickleValue tensor{.kind = Kind::Tensor};
      tensor.tensor = empty ? torch::empty(sizes, storage.options()) : storage.as_strided(sizes, strides, offset);
      return tensor;
    }
    if (name == "torch._utils._rebuild_parameter") {
      if (a.empty() || !a[0].is(Kind::Tensor)) throw Error("malformed parameter record");
      return a[0];
    }
    // LibTorch's pickle_save tags containers with their TorchScript type; the value is the first argument.
    if (name == "torch.jit._pickle.restore_type_tag") {
      if (a.empty()) throw Error("malformed type tag");
      return a[0];
    }
    if (name.rfind("__torch__.", 0) == 0) throw Error("a TorchScript module, not a state dict");
    throw Error("unsupported object " + name + " (a state dict holds only tensors)");
  }

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  const StorageLoader& load_storage_;
  std::vector<PickleValue> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, PickleValue> memo_;
  std::map<std::string, torch::Tensor> storages_;
};

}  // namespace

PickleValue read_pickle(const uint8_t* data, size_t size, const StorageLoader& load_storage) {
  return Unpickler(data, size, load_storage).run();
}

}  // namespace sdm
