#include "common/report/json_input.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/field_violations.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace jixiao::report {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr size_t kMaxProblems = 100;
constexpr size_t kMaxDepth = 64;

// Offsets into the text as lines and columns (columns in characters).
class Positions {
 public:
  explicit Positions(absl::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }
  void Locate(size_t offset, JsonProblem& problem) const {
    offset = std::min(offset, text_.size());
    auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(next - line_starts_.begin());  // from 1
    size_t start = line_starts_[line - 1];
    int column = 1;
    for (size_t i = start; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;  // not a continuation
    }
    problem.line = static_cast<int>(line);
    problem.column = column;
  }

 private:
  absl::string_view text_;
  std::vector<size_t> line_starts_;
};

// The edit distance between two names, for "did you mean".
size_t Distance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The text as RapidJSON reads it. Not copied by the reader (its default
// StreamTraits), so Tell() is where the reader is when the walker hears of
// a token: just past it. Past the end it reads NULs and stays put: the
// reader's UTF-8 validation takes a multi-byte sequence's bytes without
// looking, and a text may end inside one.
class TextStream {
 public:
  using Ch = char;
  explicit TextStream(absl::string_view text)
      : begin_(text.data()), at_(text.data()), end_(text.data() + text.size()) {}
  Ch Peek() const { return at_ < end_ ? *at_ : '\0'; }
  Ch Take() { return at_ < end_ ? *at_++ : '\0'; }
  size_t Tell() const { return static_cast<size_t>(at_ - begin_); }
  // Writing is for in-situ parsing, which is not used.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  size_t PutEnd(Ch*) { return 0; }

 private:
  const char* const begin_;
  const char* at_;
  const char* const end_;
};

bool IsDecimal(const Descriptor* d) {
  return d != nullptr && d->full_name() == "jixiao.v1.Decimal";
}

bool IsWellKnown(const Descriptor* d) {
  return d != nullptr && absl::StartsWith(d->full_name(), "google.protobuf.");
}

// What the SAX reader hands over, checked against the descriptors.
class Walker {
 public:
  Walker(absl::string_view text, const Descriptor* root, const TextStream& stream,
         std::vector<JsonProblem>& problems)
      : text_(text), positions_(text), root_(root), stream_(stream), problems_(problems) {}

  // The reader's events. Each returns false to stop reading (too many
  // problems, or too deep).
  bool Null() { return Value(Kind::kNull, Start(4), ""); }
  bool Bool(bool b) { return Value(Kind::kBool, Start(b ? 4 : 5), b ? "true" : "false"); }
  bool Int(int) { return true; }  // numbers arrive as RawNumber (kParseNumbersAsStringsFlag)
  bool Uint(unsigned) { return true; }
  bool Int64(int64_t) { return true; }
  bool Uint64(uint64_t) { return true; }
  bool Double(double) { return true; }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    return Value(Kind::kNumber, Start(length), std::string(text, length));
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    return Value(Kind::kString, StringStart(), std::string(text, length));
  }
  bool StartObject() { return Value(Kind::kObject, Start(1), ""); }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    Frame& frame = frames_.back();
    const size_t at = StringStart();
    std::string key(text, length);
    expect_ = Expect{};
    if (frame.kind == Frame::kSkip) {
      expect_.skip = true;
      return true;
    }
    if (frame.kind == Frame::kMap) {
      expect_.field = frame.field->message_type()->map_value();
      expect_.path = absl::StrCat(frame.path, "[\"", ValidUtf8(key), "\"]");
      return true;
    }
    const Descriptor* message = frame.message;
    const FieldDescriptor* field = nullptr;
    for (int i = 0; i < message->field_count() && field == nullptr; ++i) {
      const FieldDescriptor* f = message->field(i);
      if (f->name() == key || f->json_name() == key) field = f;
    }
    const std::string path = frame.path.empty() ? key : absl::StrCat(frame.path, ".", key);
    if (field == nullptr) {
      expect_.skip = true;
      std::string message_text = absl::StrCat("unknown field \"", ValidUtf8(key), "\" in ",
                                              frame.path.empty() ? "the report" : frame.path);
      if (std::string close = Closest(message, key); !close.empty()) {
        absl::StrAppend(&message_text, "; did you mean \"", close, "\"?");
      } else {
        absl::StrAppend(&message_text, "; its fields are ", FieldNames(message));
      }
      return Problem(at, path, message_text);
    }
    const std::string canonical =
        frame.path.empty() ? field->name() : absl::StrCat(frame.path, ".", field->name());
    if (auto [it, fresh] = frame.seen.emplace(field->name(), at); !fresh) {
      expect_.skip = true;
      JsonProblem earlier;
      positions_.Locate(it->second, earlier);
      return Problem(at, canonical,
                     absl::StrCat("\"", field->name(), "\" is given twice (first at line ",
                                  earlier.line, ")"));
    }
    if (const auto* oneof = field->real_containing_oneof()) {
      if (auto [it, fresh] = frame.oneofs.emplace(oneof->name(), field->name()); !fresh) {
        expect_.skip = true;
        return Problem(at, canonical,
                       absl::StrCat("\"", field->name(), "\" and \"", it->second,
                                    "\" are alternatives: give one of them"));
      }
    }
    expect_.field = field;
    expect_.path = canonical;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    frames_.pop_back();
    AfterValue();
    return true;
  }
  bool StartArray() { return Value(Kind::kArray, Start(1), ""); }
  bool EndArray(rapidjson::SizeType) {
    frames_.pop_back();
    AfterValue();
    return true;
  }

  bool too_deep() const { return too_deep_; }

 private:
  enum class Kind { kNull, kBool, kNumber, kString, kObject, kArray };
  struct Frame {
    enum { kMessage, kRepeated, kMap, kSkip } kind = kMessage;
    const Descriptor* message = nullptr;     // kMessage
    const FieldDescriptor* field = nullptr;  // kRepeated, kMap: the field
    std::string path;
    int index = 0;                              // kRepeated: the next element's
    std::map<std::string, size_t> seen;         // kMessage: fields given, and where
    std::map<std::string, std::string> oneofs;  // kMessage: oneof → the field given
  };
  // What the next value is.
  struct Expect {
    const FieldDescriptor* field = nullptr;  // null at the root
    bool element = false;                    // an element of the repeated `field`
    bool skip = false;                       // not checked (unknown or refused already)
    std::string path;
  };

  size_t Start(size_t length) const { return stream_.Tell() - std::min(length, stream_.Tell()); }
  // Where the string that just ended began: its opening quote.
  size_t StringStart() const {
    size_t end = stream_.Tell();  // just past the closing quote
    if (end < 2) return 0;
    for (size_t i = end - 2; i-- > 0;) {
      if (text_[i] != '"') continue;
      size_t backslashes = 0;
      while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  bool Problem(size_t at, const std::string& path, const std::string& message) {
    JsonProblem problem;
    positions_.Locate(at, problem);
    problem.path = path;
    problem.message = message;
    problems_.push_back(std::move(problem));
    return problems_.size() < kMaxProblems;
  }

  // After a value: the next element of an array is expected.
  void AfterValue() {
    expect_ = Expect{};
    if (frames_.empty()) return;
    Frame& frame = frames_.back();
    if (frame.kind == Frame::kRepeated) {
      expect_.field = frame.field;
      expect_.element = true;
      expect_.path = absl::StrCat(frame.path, "[", ++frame.index, "]");
    } else if (frame.kind == Frame::kSkip) {
      expect_.skip = true;
    }
  }

  void Push(Frame frame) {
    if (frames_.size() >= kMaxDepth) too_deep_ = true;
    frames_.push_back(std::move(frame));
  }

  bool Value(Kind kind, size_t at, const std::string& text) {
    if (too_deep_) return false;
    Expect expect = std::exchange(expect_, Expect{});
    const bool opens = kind == Kind::kObject || kind == Kind::kArray;
    auto skip = [&] {
      if (opens) {
        Frame frame;
        frame.kind = Frame::kSkip;
        Push(std::move(frame));
        expect_.skip = true;
      } else {
        AfterValue();
      }
      return !too_deep_;
    };
    if (frames_.empty() && expect.field == nullptr) {  // the root
      if (kind != Kind::kObject) {
        return Problem(at, "", "a report is a JSON object, { ... }") && skip();
      }
      Frame frame;
      frame.message = root_;
      Push(std::move(frame));
      return !too_deep_;
    }
    if (expect.skip) return skip();
    const FieldDescriptor* field = expect.field;
    const std::string& path = expect.path;
    if (kind == Kind::kNull) return skip();  // not given
    if (field->is_map() && !expect.element) {
      if (kind != Kind::kObject) {
        return Problem(at, path, "is a map: an object of \"name\": value pairs") && skip();
      }
      Frame frame;
      frame.kind = Frame::kMap;
      frame.field = field;
      frame.path = path;
      Push(std::move(frame));
      expect_.skip = false;
      return !too_deep_;
    }
    if (field->is_repeated() && !expect.element) {
      if (kind != Kind::kArray) {
        return Problem(at, path, "is a list: write it as [ ... ], even for one item") && skip();
      }
      Frame frame;
      frame.kind = Frame::kRepeated;
      frame.field = field;
      frame.path = path;
      Push(std::move(frame));
      expect_.field = field;
      expect_.element = true;
      expect_.path = absl::StrCat(path, "[0]");
      return !too_deep_;
    }
    const bool ok = CheckScalar(kind, at, text, field, path);
    if (!ok && problems_.size() >= kMaxProblems) return false;
    if (kind == Kind::kObject && field->type() == FieldDescriptor::TYPE_MESSAGE &&
        !IsWellKnown(field->message_type()) && ok) {
      Frame frame;
      frame.message = field->message_type();
      frame.path = path;
      Push(std::move(frame));
      return !too_deep_;
    }
    return skip();
  }

  // Whether a value of `kind` fits `field` (a single value); a problem
  // recorded if not.
  bool CheckScalar(Kind kind, size_t at, const std::string& text, const FieldDescriptor* field,
                   const std::string& path) {
    auto refuse = [&](const std::string& message) {
      Problem(at, path, message);
      return false;
    };
    switch (field->type()) {
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP: {
        if (IsWellKnown(field->message_type())) return true;
        if (IsDecimal(field->message_type()) && (kind == Kind::kNumber || kind == Kind::kString)) {
          return refuse(absl::StrCat("a figure is {\"value\": \"", ValidUtf8(text),
                                     "\"}: an object holding the figure as a string"));
        }
        if (kind != Kind::kObject) return refuse("is an object, { ... }");
        return true;
      }
      case FieldDescriptor::TYPE_STRING: {
        const bool figure = IsDecimal(field->containing_type());
        if (kind == Kind::kNumber) {
          return refuse(figure ? absl::StrCat("write figures as strings: \"", text,
                                              "\" (the digits as reported, no more, no fewer)")
                               : absl::StrCat("is text: write it in quotes, \"", text, "\""));
        }
        if (kind != Kind::kString) return refuse("is text: write it in quotes, \"...\"");
        if (figure) return CheckFigureText(at, text, path);
        return true;
      }
      case FieldDescriptor::TYPE_BYTES:
        if (kind != Kind::kString) return refuse("is bytes: a base64 string");
        return true;
      case FieldDescriptor::TYPE_BOOL:
        if (kind != Kind::kBool) return refuse("is true or false");
        return true;
      case FieldDescriptor::TYPE_ENUM: {
        if (kind == Kind::kNumber) return true;
        if (kind != Kind::kString || field->enum_type()->FindValueByName(text) == nullptr) {
          std::vector<std::string> names;
          for (int i = 0; i < field->enum_type()->value_count(); ++i) {
            names.push_back(field->enum_type()->value(i)->name());
          }
          return refuse(absl::StrCat(kind == Kind::kString
                                         ? absl::StrCat("\"", ValidUtf8(text), "\" is not one of ")
                                         : std::string("is one of "),
                                     absl::StrJoin(names, ", ")));
        }
        return true;
      }
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        if (kind != Kind::kNumber && kind != Kind::kString) return refuse("is a number");
        return true;
      default: {  // the integers
        std::string digits = kind == Kind::kString || kind == Kind::kNumber ? text : "";
        if (!digits.empty() && digits[0] == '-') digits.erase(0, 1);
        if (digits.empty() || !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
          return refuse("is a whole number, e.g. 2019");
        }
        return true;
      }
    }
  }

  // A figure's text: units and separators are the commonest mistakes.
  bool CheckFigureText(size_t at, const std::string& text, const std::string& path) {
    std::string bare(absl::StripAsciiWhitespace(text));
    for (const char* unit : {"万元", "元", "万"}) {
      if (absl::EndsWith(bare, unit) && bare.size() > strlen(unit)) {
        bare.resize(bare.size() - strlen(unit));
        Problem(
            at, path,
            absl::StrCat("\"", text, "\": amounts are in 万元 and the unit is implied; write \"",
                         absl::StripAsciiWhitespace(bare), "\""));
        return false;
      }
    }
    for (const char* percent : {"%", "％"}) {
      if (absl::EndsWith(bare, percent) && bare.size() > strlen(percent)) {
        bare.resize(bare.size() - strlen(percent));
        Problem(
            at, path,
            absl::StrCat("\"", text, "\": rates are in percent and the sign is implied; write \"",
                         absl::StripAsciiWhitespace(bare), "\""));
        return false;
      }
    }
    return true;
  }

  // The known name closest to `key`, if one is close enough to be a slip.
  static std::string Closest(const Descriptor* message, const std::string& key) {
    std::string best;
    size_t best_distance = std::max<size_t>(2, key.size() / 3) + 1;
    for (int i = 0; i < message->field_count(); ++i) {
      for (const std::string& name : {message->field(i)->name(), message->field(i)->json_name()}) {
        size_t d = Distance(absl::AsciiStrToLower(key), absl::AsciiStrToLower(name));
        if (d < best_distance) {
          best_distance = d;
          best = message->field(i)->name();
        }
      }
    }
    return best;
  }
  static std::string FieldNames(const Descriptor* message) {
    std::vector<std::string> names;
    for (int i = 0; i < message->field_count() && i < 30; ++i) {
      names.push_back(message->field(i)->name());
    }
    return absl::StrJoin(names, ", ");
  }

  const absl::string_view text_;
  const Positions positions_;
  const Descriptor* const root_;
  const TextStream& stream_;
  std::vector<JsonProblem>& problems_;
  std::vector<Frame> frames_;
  Expect expect_;
  bool too_deep_ = false;
};

}  // namespace

absl::Status ParseJson(absl::string_view text, google::protobuf::Message* message,
                       std::vector<JsonProblem>* problems) {
  problems->clear();
  const Positions positions(text);
  auto refused = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat(problems->size(), problems->size() == 1 ? " problem" : " problems"));
  };
  if (size_t nul = text.find('\0'); nul != absl::string_view::npos) {
    JsonProblem problem;
    positions.Locate(nul, problem);
    problem.message = "a NUL byte: this is not a text file";
    problems->push_back(problem);
    return refused();
  }
  TextStream stream(text);
  Walker walker(text, message->GetDescriptor(), stream, *problems);
  rapidjson::Reader reader;
  // Recursive parsing (Tell() is just past each token when the walker
  // hears of it); the walker stops it kMaxDepth levels down.
  constexpr unsigned kFlags =
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult parsed = reader.Parse<kFlags>(stream, walker);
  if (walker.too_deep()) {
    JsonProblem problem;
    positions.Locate(reader.GetErrorOffset(), problem);
    problem.message = absl::StrCat("nested deeper than ", kMaxDepth, " levels");
    problems->push_back(problem);
    return refused();
  }
  if (parsed.IsError() && parsed.Code() != rapidjson::kParseErrorTermination) {
    JsonProblem problem;
    positions.Locate(parsed.Offset(), problem);
    problem.message = absl::StrCat("not JSON: ", rapidjson::GetParseError_En(parsed.Code()),
                                   parsed.Code() == rapidjson::kParseErrorObjectMissName ||
                                           parsed.Code() == rapidjson::kParseErrorValueInvalid
                                       ? " (a comma before } or ] is not allowed)"
                                       : "");
    problems->push_back(problem);
    return refused();
  }
  if (!problems->empty()) return refused();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto converted = google::protobuf::util::JsonStringToMessage(std::string(text), message, options);
  if (!converted.ok()) {  // something the walk let through
    JsonProblem problem;
    problem.message = std::string(converted.message());
    problems->push_back(problem);
    return refused();
  }
  return absl::OkStatus();
}

}  // namespace jixiao::report
