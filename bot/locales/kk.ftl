## Start and menu
start-greeting =
    Сәлеметсіз бе, { $name }! Бұл Цветы.kz 💐
    Каталогтан гүл шоғын таңдаңыз, ұнаған гүлдің суретін жіберіңіз немесе не іздейтініңізді жазыңыз, мысалы «розы».
menu-catalog = 💐 Каталог
menu-photo = 📷 Сурет бойынша іздеу
menu-orders = 📦 Тапсырыстарым
menu-help = ❓ Көмек
menu-language = 🌐 Тіл
help =
    Қалай тапсырыс беруге болады: каталогты ашыңыз немесе сөз жазыңыз («розы», «эустома»), гүл астындағы «Тапсырыс беру» батырмасын басып, бірнеше сұраққа жауап беріңіз.
    Төлем — Kaspi арқылы: шот сіздің нөміріңізге келеді.
    /orders — тапсырыстарыңыз, /language — тіл, /start — басты мәзір.
unhandled = Түсінбедім 🙂 Мәзірден таңдаңыз немесе қандай гүл іздейтініңізді жазыңыз.
rate-limited = Хабарлама тым көп. Бірнеше секунд күтіңіз.
error-generic = Бірдеңе дұрыс болмады. Сәлден кейін қайталап көріңіз.

## Language
language-choose = Выберите язык / Тілді таңдаңыз
language-changed = Дайын, енді қазақша сөйлесеміз.

## Catalog and search
catalog-empty = Каталог әзірге бос. Сәлден кейін кіріңіз!
card-size = Өлшемі: { $size }
card-composition = Құрамы: { $composition }
card-order = 🛒 Тапсырыс беру
search-found = «{ $query }» бойынша табылған гүл шоқтары: { $total }
search-nothing = «{ $query }» бойынша ештеңе табылмады. Каталогты қараңыз — онда әдемі гүлдер көп.
search-open-catalog = 💐 Каталогты ашу

## Photo search
photo-ask = Гүл шоғының суретін жіберіңіз — дәл сондайын немесе ұқсасын табамыз.
photo-exact = Осы гүл шоғын таптық:
photo-similar = Ұқсас гүл шоқтары:
photo-nothing = Өкінішке қарай, бізде мұндай гүл шоғы жоқ. Каталогты қараңыз — бәлкім, бірдеңе ұнайтын шығар?
photo-failed = Суретті өңдеу мүмкін болмады. Қайта жіберіп көріңіз.

## Orders
orders-none = Сізде әзірге тапсырыс жоқ.
orders-title = Сіздің тапсырыстарыңыз:
orders-line = { $trackingId } · { $status } · { $total } · { $date } { $slot }
orders-details = ℹ️ { $trackingId }
orders-cancel = ✖️ Бас тарту { $trackingId }
order-details =
    Тапсырыс { $trackingId }: { $status }
    { $items }
    Барлығы: { $total }
    Қашан: { $date } { $slot }
    Төлем: { $payment }
order-not-found = Тапсырыс табылмады.
order-cancelled = { $trackingId } тапсырысы тоқтатылды.
order-cancel-refused = { $trackingId } тапсырысынан енді бас тарту мүмкін емес: { $status }.
status-new = жаңа
status-awaiting_payment = төлем күтілуде
status-paid = төленді
status-accepted = флорист қабылдады
status-assembled = жиналды
status-in_delivery = жеткізілуде
status-delivered = жеткізілді
status-cancelled = тоқтатылды
payment-none = шот жоқ
payment-requested = Kaspi-де төлем күтілуде
payment-paid = төленді
payment-failed = өтпеді
payment-expired = уақыты өтті
payment-refund_pending = қайтарылуда
payment-refunded = ақша қайтарылды

## Checkout
checkout-unavailable = Бұл гүл шоғы қазір жоқ. Каталогтан басқасын қараңыз.
checkout-start = «{ $title }» рәсімдейміз — бір данасы { $price }. Бірнеше сұраққа жауап беріңіз; «Артқа» алдыңғы сұраққа қайтарады, «Бас тарту» рәсімдеуді тоқтатады.
checkout-back = ⬅️ Артқа
checkout-abandon = ✖️ Бас тарту
checkout-abandoned = Рәсімдеу тоқтатылды. Қалаған кезде оралыңыз!
checkout-expired = Тапсырысты рәсімдеу ескіріп, тоқтатылды. Каталогтан қайта бастаңыз.
checkout-already-done = Бұл тапсырыс рәсімделіп қойған немесе рәсімдеу жабылған.
checkout-quantity = Неше гүл шоғы? Таңдаңыз немесе 1-ден 99-ға дейін сан жазыңыз.
checkout-quantity-invalid = 1-ден 99-ға дейінгі бүтін сан керек. Неше гүл шоғы?
checkout-recipient-name = Алушының аты кім?
checkout-recipient-name-invalid = Алушының атын мәтінмен жазыңыз — 2-ден 100 таңбаға дейін.
checkout-recipient-phone = Алушының телефоны? Мысалы, +7 701 123 45 67.
checkout-recipient-phone-invalid = Бұл қазақстандық нөмірге ұқсамайды. +7 701 123 45 67 немесе 8 701 123 45 67 түрінде жазыңыз.
checkout-delivery-type = Жеткізу ме, әлде өзіңіз алып кетесіз бе?
checkout-delivery = 🚚 Жеткізу
checkout-pickup = 🏪 Өзім алып кетемін
checkout-delivery-type-invalid = Батырмамен таңдаңыз: «Жеткізу» немесе «Өзім алып кетемін».
checkout-address = Жеткізу мекенжайы: қала, көше, үй, пәтер. Немесе геолокация жіберіңіз.
checkout-address-location = 📍 Геолокация жіберу
checkout-address-invalid = Мекенжайды толық жазыңыз (5-тен 300 таңбаға дейін) немесе геолокация жіберіңіз.
checkout-date = Қашан жеткізу керек?
checkout-today = Бүгін
checkout-tomorrow = Ертең
checkout-other-date = Басқа күн
checkout-date-enter = Күнді КК.АА түрінде жазыңыз, мысалы 08.03.
checkout-date-invalid = Күнді түсінбедім. КК.АА немесе КК.АА.ЖЖЖЖ түрінде жазыңыз, мысалы 08.03.
checkout-date-past = Бұл күн өтіп кетті. Бүгінді немесе кейінгі күнді таңдаңыз.
checkout-date-too-far = Тапсырысты 90 күннен артық алдын ала қабылдамаймыз. Жақынырақ күнді таңдаңыз.
checkout-date-no-slots = Бұл күнге бос уақыт қалмады. Басқа күнді таңдаңыз.
checkout-slot = { $date } күнгі жеткізу уақытын таңдаңыз.
checkout-slot-invalid = Уақытты тізімдегі батырмамен таңдаңыз.
checkout-card = Ашықхат мәтіні? Жазыңыз немесе «Ашықхатсыз» батырмасын басыңыз.
checkout-no-card = Ашықхатсыз
checkout-card-too-long = Ашықхат мәтіні тым ұзын: 500 таңбадан аспауы керек.
checkout-phone = Төмендегі батырмамен нөміріңізбен бөлісіңіз: Kaspi шоты соған келеді.
checkout-phone-button = 📱 Нөмірмен бөлісу
checkout-phone-use-button = «Нөмірмен бөлісу» батырмасын басыңыз — сонда нөмір сіздікі екеніне сенімді боламыз.
checkout-phone-not-yours = Бұл басқа адамның контактісі. Өз нөміріңізді жіберу үшін «Нөмірмен бөлісу» батырмасын басыңыз.
checkout-phone-invalid = Қазақстан нөмірлерін (+7) қабылдаймыз. Басқа нөмірмен бөлісіңіз.
summary-title = Тапсырысты тексеріңіз:
summary-item = { $title } × { $quantity } = { $amount }
summary-fee = Жеткізу: { $fee }
summary-total = Барлығы: { $total }
summary-recipient = Алушы: { $name }, { $phone }
summary-address = Мекенжай: { $address }
summary-pickup = Дүкеннен өзі алып кетеді
summary-when = Қашан: { $date }, { $slot }
summary-card = Ашықхат: { $text }
summary-phone = Сіздің телефоныңыз (Kaspi): { $phone }
checkout-confirm = ✅ Растау
checkout-confirm-hint = Тапсырысты рәсімдеу үшін «Растау» батырмасын басыңыз.
checkout-placed = { $trackingId } тапсырысы рәсімделді! Сомасы: { $total }. Қазір Kaspi-ге шот жібереміз — күйін осында хабарлаймыз.
checkout-invalid-order = Рәсімдеу мүмкін болмады: { $reason }. Басқа күнді немесе уақытты таңдаңыз.
checkout-product-gone = Бұл гүл шоғы жаңа ғана таусылды. Каталогтан басқасын қараңыз.
checkout-failed = Ақаулыққа байланысты тапсырыс рәсімделмеді. Сәлден кейін «Растау» батырмасын қайта басыңыз.
